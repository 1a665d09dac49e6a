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
import io.tunnelmesh.api.identity.KeySource;
import io.tunnelmesh.api.node.MeshNode;
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
        // the distribution's headless Gogo profile (the built-in one expects a terminal)
        Files.createDirectories(home.resolve("etc"));
        Files.copy(Path.of("../../dist/src/etc/gosh_profile"), home.resolve("etc/gosh_profile"));
        // the node under test gets its own interface name; it only comes up after init gives it an identity
        Files.writeString(config.resolve("io.tunnelmesh.node.cfg"), "interface.name=tmit0\naddress=10.201.0.1/24\nlisten.port=0\n");
        List<Option> opts = new ArrayList<>(DistributionBundles.options());
        opts.add(junitBundles());
        opts.add(cleanCaches());
        for (String[] p : new String[][] {
                {"tm.home", home.toString()}, {"tm.config", config.toString()}, {"tm.data", data.toString()},
                {"tm.control.socket", data.resolve("tm.sock").toString()},
                {"gosh.args", "--nointeractive"}, {"gosh.home", home.toString()},
                {"felix.fileinstall.dir", config.toString()}, {"felix.fileinstall.filter", ".*\\.cfg"},
                {"felix.fileinstall.poll", "300"}, {"felix.fileinstall.noInitialDelay", "true"},
                {"felix.fileinstall.enableConfigSave", "false"},
                // the coordinator bundle starts here too: a free loopback port, never the fixed default 7443
                {"tm.coordinator.listen", "127.0.0.1:0"}, {"tm.coordinator.mesh-cidr", "100.127.0.0/16"}}) {
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

    /** Issue 12's bundles and the libraries they brought into the distribution. */
    private static final List<String> COORDINATOR_BUNDLES = List.of("tm-coordinator", "tm-coordinator-store-sqlite",
            "tm-coordinator-client", "com.fasterxml.jackson.core.jackson-core",
            "com.fasterxml.jackson.core.jackson-databind", "com.fasterxml.jackson.core.jackson-annotations",
            "org.xerial.sqlite-jdbc", "io.netty.codec-base");

    @Test
    public void coordinatorBundlesAndTheirLibrariesResolveAndStart() {
        List<String> wrong = new ArrayList<>();
        for (String name : COORDINATOR_BUNDLES) {
            Bundle b = bundle(name);
            if (b == null) {
                wrong.add(name + " not in the distribution");
            } else if (b.getState() != Bundle.ACTIVE) {
                wrong.add(name + " state " + stateName(b.getState()));
            }
        }
        assertTrue("coordinator bundles not active: " + wrong, wrong.isEmpty());
    }

    /**
     * The coordinator runs in this test's framework as it would in an operator's, on the free loopback port it was
     * given: {@code tm:coordinator} (its own, not the node client's command of the same name) says so.
     */
    @Test
    public void theCoordinatorRunsOnAFreeLoopbackPortNotTheDefault() {
        String status;
        try {
            status = Await.until("tm:coordinator saying 'state: running'", WAIT, () -> {
                String s = coordinatorStatus();
                return s != null && s.contains("state: running") ? s : null;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; it says:\n" + coordinatorStatus());
        }
        java.util.regex.Matcher listen = java.util.regex.Pattern.compile("(?m)^listen: 127\\.0\\.0\\.1:(\\d+)$").matcher(status);
        assertTrue("tm:coordinator shows no 127.0.0.1 listen address:\n" + status, listen.find());
        int port = Integer.parseInt(listen.group(1));
        assertTrue("the coordinator took port " + port + ", not a free one:\n" + status, port != 0 && port != 7443);
    }

    /** What tm-coordinator's {@code tm:coordinator} command returns (Gogo would pick one of the two by ranking). */
    private String coordinatorStatus() {
        try {
            var refs = context.getServiceReferences((String) null, "(&(osgi.command.scope=tm)(osgi.command.function=coordinator))");
            for (var ref : refs == null ? new ServiceReference<?>[0] : refs) {
                if ("tm-coordinator".equals(ref.getBundle().getSymbolicName())) {
                    Object commands = context.getService(ref);
                    try {
                        return String.valueOf(commands.getClass().getMethod("coordinator").invoke(commands));
                    } finally {
                        context.ungetService(ref);
                    }
                }
            }
            return null;
        } catch (ReflectiveOperationException e) {
            return "tm:coordinator failed: " + e.getCause();
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String stateName(int state) {
        return switch (state) {
            case Bundle.INSTALLED -> "INSTALLED (not resolved)";
            case Bundle.RESOLVED -> "RESOLVED (not started)";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            default -> Integer.toString(state);
        };
    }

    @Test
    public void everyConcernRegistersItsService() {
        for (Class<?> type : List.of(PacketCipher.class, HandshakeService.class, TunDriver.class, CommandProcessor.class)) {
            Await.until(type.getSimpleName() + " service", WAIT, () -> context.getServiceReference(type));
        }
        Await.until("udp transport", WAIT, () -> references(Transport.class, "(transport.name=udp)"));
        Await.until("tm:peers command", WAIT, () -> references(Object.class, "(&(osgi.command.scope=tm)(osgi.command.function=peers))"));
        Await.until("tm:ping command", WAIT, () -> references(Object.class, "(&(osgi.command.scope=tm)(osgi.command.function=ping))"));
    }

    @Test
    public void componentsOfOurBundlesAreSatisfiedOrWaitForTheirConfiguration() {
        try {
            Await.condition("all DS components settled", WAIT, () -> unsettledComponents().isEmpty());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + ": " + unsettledComponents());
        }
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
                        || (c.state == ComponentConfigurationDTO.UNSATISFIED_REFERENCE && waitsOnlyForIdentity(d, c));
                if (!ok) {
                    problems.add(d.name + " state " + c.state + " unsatisfied " + java.util.Arrays.stream(c.unsatisfiedReferences)
                            .map(r -> r.name).collect(Collectors.joining(",")));
                }
            }
        }
        return problems;
    }

    /**
     * The node legitimately waits for a key source until 'tunnelmesh init' has chosen an SSH key: every reference
     * still unsatisfied is one to {@link KeySource} (matched by interface; constructor references have no
     * telling names).
     */
    private static boolean waitsOnlyForIdentity(ComponentDescriptionDTO d, ComponentConfigurationDTO c) {
        return c.unsatisfiedReferences.length > 0 && java.util.Arrays.stream(c.unsatisfiedReferences)
                .allMatch(u -> java.util.Arrays.stream(d.references)
                        .anyMatch(r -> r.name.equals(u.name) && KeySource.class.getName().equals(r.interfaceName)));
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
    public void initGivesTheNodeAnIdentityAndTheNodeComesUpWithIt() throws Exception {
        CommandProcessor processor = Await.until("command processor", WAIT, () -> service(CommandProcessor.class));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        var console = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8);
        var session = processor.createSession(new java.io.ByteArrayInputStream(new byte[0]), console, console);
        String init = String.valueOf(session.execute("tm:init --generate"));
        Await.until("a key source after init", WAIT, () -> context.getServiceReference(KeySource.class));
        String pubkey = String.valueOf(session.execute("tm:pubkey")).strip();
        assertTrue("pubkey is a base64 X25519 key: " + pubkey, pubkey.matches("[A-Za-z0-9+/]{43}="));
        assertTrue("init reports the key it derived: " + init, init.contains(pubkey));

        org.junit.Assume.assumeTrue(skipReason("the node opens a TUN device"), isolatedNetwork());
        MeshNode node = Await.until("mesh node service", WAIT, () -> service(MeshNode.class));
        Await.condition("node up", WAIT, () -> "up".equals(node.status().state()));
        assertEquals(pubkey, node.status().publicKey().toBase64());
        assertEquals("tmit0", node.status().interfaceName());
        assertTrue("udp transport bound: " + node.status().transports(), node.status().transports().contains("udp"));
    }

    /** True when the test JVM runs in a network namespace of its own (see src/test/netns/bin/java). */
    private static boolean isolatedNetwork() {
        String ns = System.getenv("TM_TEST_NETNS");
        return ns != null && !ns.isEmpty();
    }

    private static String skipReason(String what) {
        String reason = "skipped: " + what + ", which this test does only inside a network namespace of its own (needs root and ip)";
        if (!isolatedNetwork()) {
            System.out.println("DistributionRuntimeTest " + reason);
        }
        return reason;
    }

    private <T> T service(Class<T> type) {
        ServiceReference<T> ref = context.getServiceReference(type);
        return ref == null ? null : context.getService(ref);
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
            var refs = context.getServiceReferences(type == Object.class ? null : type.getName(), filter);
            return refs == null || refs.length == 0 ? null : refs[0];
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static long serviceId(ServiceReference<?> ref) {
        return (Long) ref.getProperty(Constants.SERVICE_ID);
    }
}
