package io.tunnelmesh.shell.internal;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.felix.service.command.CommandProcessor;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * The node's local control channel: a Unix domain socket that {@code bin/tunnelmesh shell/status/peers}
 * connect to, each connection a Gogo session. Access control is the file system: the socket lives in the
 * installation's 0700 data folder and is itself 0600, so only the node's user can drive the node.
 */
@Component(immediate = true)
public class ControlSocket {
    private final CommandProcessor processor;
    private final Logger log;
    private final Path path;
    private final ServerSocketChannel server;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    @Activate
    public ControlSocket(@Reference CommandProcessor processor,
            @Reference(service = LoggerFactory.class) Logger log, BundleContext context) throws IOException {
        this.processor = processor;
        this.log = log;
        String configured = context.getProperty("tm.control.socket");
        this.path = Path.of(configured != null ? configured : "data/tm.sock").toAbsolutePath();
        this.server = bind(path);
        this.acceptor = Thread.ofPlatform().daemon().name("tm-control-accept").start(this::acceptLoop);
        log.info("control socket listening at {}", path);
    }

    private static ServerSocketChannel bind(Path path) throws IOException {
        Files.createDirectories(path.getParent());
        // A socket file left by a node that was killed: nothing can be listening, or 'up' would have refused.
        Files.deleteIfExists(path);
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.bind(UnixDomainSocketAddress.of(path));
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            ch.close();
            throw new IOException("cannot listen on control socket " + path + ": " + e.getMessage(), e);
        }
        return ch;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                connections.add(client);
                Thread.ofVirtual().name("tm-control-session").start(() -> {
                    try {
                        new ControlSession(processor, client).serve();
                    } finally {
                        connections.remove(client);
                    }
                });
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                log.warn("control socket accept failed: {}", e.getMessage());
            }
        }
    }

    @Deactivate
    void deactivate() throws IOException {
        server.close();
        for (SocketChannel c : connections) {
            c.close();
        }
        acceptor.interrupt();
        Files.deleteIfExists(path);
    }
}
