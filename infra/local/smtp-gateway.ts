import { randomBytes } from 'node:crypto';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { FileRawMailStore } from '#adapters/local/file-raw-mail-store.js';
import { MAIL_LIMITS } from '#domain/intake/mail/index.js';
import type { StoredObject } from './s3-notifier.js';

export interface SmtpGatewayOptions {
  port: number;
  /** The addresses mail is accepted for, as SES's receipt rule names them. */
  recipients: string[];
  store: FileRawMailStore;
  bucket: string;
  keyPrefix: string;
  onStored: (object: StoredObject) => void;
  log: (line: string) => void;
}

const smtpError = (responseCode: number, message: string) => Object.assign(new Error(message), { responseCode });

/** SES names stored messages by its own message id: lower-case letters and digits. */
const newMessageId = () => randomBytes(20).toString('hex');

/**
 * Plays SES receiving on one machine: accepts mail for the meldpunt address over SMTP, refuses what is
 * too large during the conversation, stores each message (encrypted, as the bucket would) and lets the
 * notifier hand it to the handler, which removes it once processed.
 */
export function startSmtpGateway(options: SmtpGatewayOptions): Promise<SMTPServer> {
  const recipients = new Set(options.recipients.map((r) => r.toLowerCase()));
  const server = new SMTPServer({
    banner: 'Meldroute meldpunt (lokaal)',
    // Only receiving, as SES does for the meldpunt address: no login, and no TLS on a local port.
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: MAIL_LIMITS.maxMessageBytes,
    rejectOversized: true,
    logger: false,
    onRcptTo(address, _session, callback) {
      if (recipients.has(address.address.toLowerCase())) return callback();
      callback(smtpError(550, `5.1.1 Onbekende ontvanger; meldingen gaan naar ${options.recipients.join(', ')}`));
    },
    onData(stream: SMTPServerDataStream, _session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      // A client that drops the connection mid-DATA: smtp-server ends the stream with this error (only
      // when someone listens). Nothing was received in full, so nothing is stored and nobody is left to answer.
      stream.once('error', (error: NodeJS.ErrnoException) => {
        chunks.length = 0;
        options.log(`smtp: message dropped, the client left before its end (${error.code ?? error.name})`);
      });
      stream.on('data', (chunk: Buffer) => {
        // Past the limit nothing is kept; the server answers 552 itself.
        if (!stream.sizeExceeded) chunks.push(chunk);
      });
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          options.log(`smtp: message of more than ${MAIL_LIMITS.maxMessageBytes} bytes refused (552)`);
          return callback(smtpError(552, '5.3.4 Bericht te groot: maximaal 10 MB'));
        }
        const raw = Buffer.concat(chunks);
        const object = { bucket: options.bucket, key: `${options.keyPrefix}${newMessageId()}`, size: raw.byteLength };
        options.store.put(object, raw).then(
          () => {
            callback(null, `Ontvangen als ${object.key.slice(options.keyPrefix.length)}`);
            try {
              options.onStored(object);
            } catch (error) {
              // Stored and accepted: the notification failing must not become an unhandled rejection.
              options.log(`smtp: ${object.key} stored, but its notification failed (${(error as Error).name})`);
            }
          },
          (error: Error) => callback(smtpError(451, `4.3.0 Tijdelijk niet opgeslagen: ${error.name}`)),
        );
      });
    },
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, () => {
      server.off('error', reject);
      // smtp-server reports a connection's failure (a client reset mid-transaction) here; without a
      // listener it would be an uncaught 'error' event. The code says enough; a message is not logged.
      server.on('error', (error: NodeJS.ErrnoException) => options.log(`smtp: connection failed (${error.code ?? error.name})`));
      resolve(server);
    });
  });
}
