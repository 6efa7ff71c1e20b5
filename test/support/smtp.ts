import { simpleParser } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { cprNumbersIn, reportToSweep } from './cpr-scan';

export interface ReceivedMail {
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  messageId: string;
}

export interface TestSmtp {
  /** `smtp://127.0.0.1:<port>` for SMTP_URL. */
  url: string;
  mails: ReceivedMail[];
  /** While down, the server answers every mail with 421 (service not available), as a server being restarted does. */
  down: boolean;
  /** Waits until `count` mails match, then a moment more (so a duplicate would show), and answers them. */
  waitFor(predicate: (mail: ReceivedMail) => boolean, count?: number, timeoutMs?: number): Promise<ReceivedMail[]>;
  close(): Promise<void>;
}

/**
 * A real SMTP server on a loopback port (the smtp-server package), which keeps every mail it receives, parsed.
 * Every mail is swept as log lines are: one holding a CPR-shaped number or one of `forbidden` (citizens' names)
 * fails the test it arrives in.
 */
export async function startSmtp(forbidden: () => readonly string[] = () => []): Promise<TestSmtp> {
  const mails: ReceivedMail[] = [];
  const state = { down: false };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onMailFrom(_address, _session, callback) {
      if (state.down) return callback(Object.assign(new Error('Service not available, try again later'), { responseCode: 421 }));
      callback();
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const mail: ReceivedMail = {
            to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            html: typeof parsed.html === 'string' ? parsed.html : '',
            messageId: parsed.messageId ?? '',
          };
          const whole = `${mail.subject}\n${mail.text}\n${mail.html}`;
          for (const cpr of cprNumbersIn(whole)) reportToSweep(`${cpr} in the mail "${mail.subject}" to ${mail.to.join(', ')}`);
          for (const name of forbidden()) if (whole.includes(name)) reportToSweep(`the citizen's name "${name}" in the mail "${mail.subject}"`);
          mails.push(mail);
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    get down() {
      return state.down;
    },
    set down(value: boolean) {
      state.down = value;
    },
    async waitFor(predicate, count = 1, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (mails.filter(predicate).length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} mail(s), got ${mails.filter(predicate).length}: ${mails.map((m) => `${m.to.join(',')}: ${m.subject}`).join('; ')}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return mails.filter(predicate);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
