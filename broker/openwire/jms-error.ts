/**
 * A refusal the client should see as a Java exception: sent as ExceptionResponse (or ConnectionError
 * when the command wanted no response) with the `javax.jms` class ActiveMQ uses, so the client
 * throws that class with this message.
 */
export class JmsError extends Error {
  constructor(
    readonly javaClass: string,
    message: string,
    /** The connection closes once the answer is written (a refused login, as ActiveMQ stops it). */
    readonly closesConnection = false,
  ) {
    super(message);
    this.name = 'JmsError';
  }
}

export const INVALID_DESTINATION = 'javax.jms.InvalidDestinationException';
export const JMS_EXCEPTION = 'javax.jms.JMSException';
export const INVALID_CLIENT_ID = 'javax.jms.InvalidClientIDException';
export const SECURITY_EXCEPTION = 'java.lang.SecurityException';
