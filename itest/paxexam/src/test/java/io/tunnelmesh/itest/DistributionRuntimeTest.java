package io.tunnelmesh.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.tunnelmesh.api.cipher.PacketCipher;
import io.tunnelmesh.api.handshake.HandshakeService;
import io.tunnelmesh.api.transport.Transport;
import io.tunnelmesh.api.tun.TunDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Boots exactly the distribution's bundle set in Felix and checks what an operator relies on: every bundle
 * active, every concern's service registered, components satisfied, bundles replaceable while the runtime
 * runs, and configuration files reaching components without a restart.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class DistributionRuntimeTest {
    private static final long WAIT = 10_000;

    @Inject
    private BundleContext context;

    @Inject
    private ServiceComponentRuntime scr;

    @Configuration
    public Option[] config() throws IOException {
        Path home = Files.createTempDirectory("tm-paxexam");
        Path config = Files.createDirectories(home.resolve("config"));
        Path data = Files.createDirectories(home.resolve("data"));
        List<Option> opts = new ArrayList<>(DistributionBundles.options());
        opts.add(junitBundles());
        opts.add(cleanCaches());
        for (String[] p : new String[][] {
                {"tm.home", home.toString()}, {"tm.config", config.toString()}, {"tm.data", data.toString()},
                {"tm.control.socket", data.resolve("tm.sock").toString()},
                {"gosh.args", "--nointeractive"}, {"gosh.home", home.toString()},
                {"felix.fileinstall.dir", config.toString()}, {"felix.fileinstall.filter", ".*\\.cfg"},
                {"felix.fileinstall.poll", "300"}, {"felix.fileinstall.noInitialDelay", "true"},
                {"felix.fileinstall.enableConfigSave", "false"}}) {
            opts.add(frameworkProperty(p[0]).value(p[1]));
            opts.add(systemProperty(p[0]).value(p[1]));
        }
        opts.add(systemProperty("org.jline.terminal.dumb").value("true"));
        opts.add(systemProperty("io.netty.native.workdir").value(data.toString()));
        opts.add(systemProperty("jna.tmpdir").value(data.toString()));
        return options(opts.toArray(Option[]::new));
    }

    @Test
    public void everyBundleIsActiveAndFragmentsAreResolved() {
        List<String> wrong = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
            if (b.getState() != expected) {
                wrong.add(b.getSymbolicName() + " state " + b.getState());
            }
        }
        assertTrue("bundles not in their expected state: " + wrong, wrong.isEmpty());
        assertTrue("the distribution's bundles were not provisioned", bundle("tm-node") != null && bundle("tm-shell") != null);
    }

    @Test
    public void everyConcernRegistersItsService() {
        for (Class<?> type : List.of(PacketCipher.class, HandshakeService.class, TunDriver.class, CommandProcessor.class)) {
            Await.until(type.getSimpleName() + " service", WAIT, () -> context.getServiceReference(type));
        }
        Await.until("udp transport", WAIT, () -> references(Transport.class, "(transport.name=udp)"));
        Await.until("tm:peers command", WAIT, () -> references(Object.class, "(&(osgi.command.scope=tm)(osgi.command.function=peers))"));
    }

    @Test
    public void componentsOfOurBundlesAreSatisfiedOrWaitForTheirConfiguration() {
        Await.condition("all DS components settled", WAIT, () -> unsettledComponents().isEmpty());
    }

    /** Components of tm-* bundles that are neither active/satisfied nor waiting, by design, for a configuration. */
    private List<String> unsettledComponents() {
        List<String> problems = new ArrayList<>();
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (!d.bundle.symbolicName.startsWith("tm-") || !scr.isComponentEnabled(d)) {
                continue;
            }
            var configs = scr.getComponentConfigurationDTOs(d);
            boolean needsConfig = "require".equals(d.configurationPolicy);
            if (configs.isEmpty() && !needsConfig) {
                problems.add(d.name + " has no configuration");
            }
            for (ComponentConfigurationDTO c : configs) {
                boolean ok = c.state == ComponentConfigurationDTO.ACTIVE || c.state == ComponentConfigurationDTO.SATISFIED
                        || (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE && waitsOnlyForIdentity(c));
                if (!ok) {
                    problems.add(d.name + " state " + c.state + " unsatisfied " + java.util.Arrays.stream(c.unsatisfiedReferences)
                            .map(r -> r.name).collect(Collectors.joining(",")));
                }
            }
        }
        return problems;
    }

    /** The node legitimately waits for a key source until 'tunnelmesh init' has chosen an SSH key. */
    private static boolean waitsOnlyForIdentity(ComponentConfigurationDTO c) {
        return java.util.Arrays.stream(c.unsatisfiedReferences).allMatch(r -> r.target == null || r.name.toLowerCase().contains("key"))
                && java.util.Arrays.stream(c.unsatisfiedReferences).anyMatch(r -> r.name.toLowerCase().contains("key"));
    }

    @Test
    public void cipherBundleIsReplacedWhileRunningAndTheHandshakeServiceRebinds() throws Exception {
        Bundle cipher = bundle("tm-cipher");
        long cipherId = serviceId(Await.until("cipher", WAIT, () -> context.getServiceReference(PacketCipher.class)));
        Await.until("handshake", WAIT, () -> context.getServiceReference(HandshakeService.class));

        cipher.stop();
        Await.condition("cipher service gone after stop", WAIT, () -> context.getServiceReference(PacketCipher.class) == null);
        Await.condition("handshake service (a consumer) gone after stop", WAIT, () -> context.getServiceReference(HandshakeService.class) == null);

        cipher.start();
        long restarted = serviceId(Await.until("cipher after start", WAIT, () -> context.getServiceReference(PacketCipher.class)));
        Await.until("handshake after start", WAIT, () -> context.getServiceReference(HandshakeService.class));
        assertNotEquals("a restarted bundle registers a new service", cipherId, restarted);

        long handshakeBefore = serviceId(context.getServiceReference(HandshakeService.class));
        cipher.update();
        Await.condition("cipher service re-registered after update", WAIT, () -> {
            var ref = context.getServiceReference(PacketCipher.class);
            return ref != null && serviceId(ref) != restarted;
        });
        Await.condition("handshake service rebound to the updated cipher", WAIT, () -> {
            var ref = context.getServiceReference(HandshakeService.class);
            return ref != null && serviceId(ref) != handshakeBefore;
        });
        assertEquals("framework kept running", Bundle.ACTIVE, context.getBundle(0).getState());
    }

    @Test
    public void transportBundleIsReplacedWhileRunning() throws Exception {
        Bundle udp = bundle("tm-transport-udp");
        Await.until("udp transport", WAIT, () -> references(Transport.class, "(transport.name=udp)"));
        udp.stop();
        Await.condition("udp transport gone", WAIT, () -> references(Transport.class, "(transport.name=udp)") == null);
        udp.update();
        udp.start();
        Await.until("udp transport back", WAIT, () -> references(Transport.class, "(transport.name=udp)"));
    }

    @Test
    public void configFileChangeReachesTheComponentWithoutRestart() throws Exception {
        Path config = Path.of(context.getProperty("felix.fileinstall.dir"));
        Path file = config.resolve("io.tunnelmesh.logging.cfg");
        Files.writeString(file, "level=DEBUG\nconsole=false\n");
        ComponentConfigurationDTO first = Await.until("logging configured from file", WAIT,
                () -> loggingConfiguration("DEBUG"));
        Files.writeString(file, "level=WARN\nconsole=false\n");
        ComponentConfigurationDTO second = Await.until("logging re-configured from file", WAIT,
                () -> loggingConfiguration("WARN"));
        assertEquals("the component was modified in place, not restarted", first.id, second.id);
        Files.delete(file);
    }

    @Test
    public void aBundleDroppedIntoDeployIsStartedAndRemovedWhenDeleted() throws Exception {
        Path home = Path.of(context.getProperty("tm.home"));
        Path deploy = Files.createDirectories(home.resolve("deploy"));
        Path watcher = Path.of(context.getProperty("felix.fileinstall.dir")).resolve("org.apache.felix.fileinstall-deploy.cfg");
        Files.writeString(watcher, "felix.fileinstall.dir=" + deploy + "\nfelix.fileinstall.filter=.*\\\\.jar\n"
                + "felix.fileinstall.poll=300\nfelix.fileinstall.noInitialDelay=true\n");
        Path jar = deploy.resolve("operator-extension.jar");
        writeEmptyBundle(jar, "io.tunnelmesh.itest.dropin");
        Bundle dropped = Await.until("dropped bundle active", WAIT, () -> {
            Bundle b = bundle("io.tunnelmesh.itest.dropin");
            return b != null && b.getState() == Bundle.ACTIVE ? b : null;
        });
        Files.delete(jar);
        Await.condition("dropped bundle uninstalled after delete", WAIT, () -> dropped.getState() == Bundle.UNINSTALLED);
        Files.delete(watcher);
    }

    private static void writeEmptyBundle(Path jar, String symbolicName) throws IOException {
        java.util.jar.Manifest mf = new java.util.jar.Manifest();
        var a = mf.getMainAttributes();
        a.put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", "1.0.0");
        Path tmp = jar.resolveSibling(jar.getFileName() + ".tmp");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(tmp), mf)) {
            out.flush();
        }
        // appear at once and whole, so the watcher never sees half a jar
        Files.move(tmp, jar, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private ComponentConfigurationDTO loggingConfiguration(String level) {
        for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
            if (d.name.endsWith("LogWriter")) {
                for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
                    Map<String, Object> props = c.properties;
                    if (c.state == ComponentConfigurationDTO.ACTIVE && level.equals(props.get("level"))) {
                        return c;
                    }
                }
            }
        }
        return null;
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        return null;
    }

    private ServiceReference<?> references(Class<?> type, String filter) {
        try {
            var refs = context.getServiceReferences(type.getName(), filter);
            return refs == null || refs.length == 0 ? null : refs[0];
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static long serviceId(ServiceReference<?> ref) {
        return (Long) ref.getProperty(Constants.SERVICE_ID);
    }
}
