package io.eventlens.core.amqp;

import io.eventlens.core.capture.SourceException;

/**
 * RabbitMQ could not be reached, refused the credentials, or does not have a named exchange or
 * queue; or a browse was refused. The message names the endpoint (and the exchange or queue).
 */
public final class AmqpConnectException extends SourceException {

    /** A failure with a message naming the endpoint. */
    public AmqpConnectException(String message) {
        super(message);
    }

    /** A failure with a message naming the endpoint, and its cause. */
    public AmqpConnectException(String message, Throwable cause) {
        super(message, cause);
    }
}
