package io.eventlens.core.amqp;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.util.concurrent.TimeoutException;

/**
 * Opens an AMQP 0-9-1 connection with the settings of an {@link AmqpCaptureConfig}
 * (docs/decisions/0011-amqp-source.md): host, port, vhost, credentials, TLS with the JVM's trust store
 * and hostname verification, the connect timeout for the TCP connect and the handshake, no automatic
 * recovery. Used by the capture ({@link AmqpSource}) and by replay.
 */
public final class AmqpConnections {

    private AmqpConnections() {
    }

    /**
     * Connects.
     *
     * @param config         the connection settings (only the connection part is used)
     * @param connectionName the name the broker's management UI shows for the connection
     * @throws AmqpConnectException naming {@link AmqpCaptureConfig#endpoint()} when the broker is
     *                              unreachable, refuses the credentials, or TLS is unavailable
     */
    public static Connection open(AmqpCaptureConfig config, String connectionName) {
        String endpoint = config.endpoint();
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(config.host());
        f.setPort(config.port());
        f.setVirtualHost(config.virtualHost());
        f.setUsername(config.username());
        f.setPassword(config.password());
        int ms = (int) Math.min(Integer.MAX_VALUE, Math.max(1, config.connectTimeout().toMillis()));
        f.setConnectionTimeout(ms);
        f.setHandshakeTimeout(ms);
        f.setShutdownTimeout(2_000);
        f.setAutomaticRecoveryEnabled(false);
        f.setTopologyRecoveryEnabled(false);
        f.setRequestedHeartbeat(10);
        if (config.tls()) {
            try {
                f.useSslProtocol(javax.net.ssl.SSLContext.getDefault());
                f.enableHostnameVerification();
            } catch (NoSuchAlgorithmException e) {
                throw new AmqpConnectException(endpoint + ": TLS is unavailable in this JVM: " + e.getMessage(), e);
            }
        }
        try {
            return f.newConnection(connectionName);
        } catch (IOException | TimeoutException e) {
            throw new AmqpConnectException(endpoint + ": cannot connect: " + message(e), e);
        }
    }

    /** The broker's reason for a failure (a channel or connection close), else the first message in the chain. */
    public static String message(Throwable e) {
        Throwable t = e;
        while (t != null) {
            if (t instanceof ShutdownSignalException s && s.getReason() != null) {
                return s.getReason().toString().replaceAll("#method<[^>]*>", "").trim();
            }
            if (t.getMessage() != null && !(t instanceof IOException && t.getCause() != null)) {
                return t.getMessage();
            }
            t = t.getCause();
        }
        return e.toString();
    }
}
