// A real SMTP server for the browser tests that send email, as the Rust tests have one
// (server/tests/it/support/smtp.rs): Debian's aiosmtpd on a free local port, keeping what it
// receives in a fresh Maildir, and the messages read back as a person would see them. Not a
// mock, so lettre's framing and encodings are the ones production meets. `./x.sh setup`
// installs python3-aiosmtpd.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';

// Debian's Python, the one python3-aiosmtpd is installed for: a python3 earlier on PATH
// (pyenv, a virtualenv) does not see Debian's packages.
const PYTHON = '/usr/bin/python3';
const INSTALL = "(is Debian's python3-aiosmtpd installed? `./x.sh setup` installs it)";

async function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function accepts(port) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Starts aiosmtpd with a fresh Maildir and waits (10 s at most) until it accepts connections.
 * Returns { url, waitFor, stop }: `url` is for Sharek's SHAREK_SMTP_URL; `waitFor(count,
 * timeoutMs)` resolves, once at least `count` messages have arrived, to all of them as
 * [{ to, subject, body }] in the order they arrived, and rejects with what did arrive when
 * the time runs out; `stop()` stops aiosmtpd and removes the Maildir.
 */
export async function startMailCatcher() {
  const dir = mkdtempSync(join(tmpdir(), 'sharek-mail-'));
  const maildir = join(dir, 'Maildir');
  const port = await freePort();
  // -n: no switch to `nobody`, which aiosmtpd makes when started as root and which could not
  // write the Maildir.
  const args = ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'aiosmtpd.handlers.Mailbox', maildir];
  const command = [PYTHON, ...args].join(' ');
  const log = [];
  const child = spawn(PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => log.push(d.toString()));
  child.stderr.on('data', (d) => log.push(d.toString()));
  // Why it stopped, once it has ('error' alone when it could not be started at all).
  let gone;
  const exited = new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve(`exited (${signal ?? code})`));
    child.once('error', (error) => resolve(error.message));
  }).then((why) => { gone = why; });
  const stop = async () => {
    child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 10_000;
  while (!(await accepts(port))) {
    if (gone !== undefined || Date.now() > deadline) {
      await stop();
      throw new Error(`${command}: ${gone ?? 'did not listen within 10 s'}\n${log.join('')}\n${INSTALL}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }

  // Python's Maildir writes each message to tmp/ and moves it whole to new/ (a mail reader
  // would then move it to cur/).
  const files = () => ['new', 'cur']
    .flatMap((folder) => readdirSync(join(maildir, folder)).map((name) => join(maildir, folder, name)))
    .sort((a, b) => deliveryOrder(a) - deliveryOrder(b));
  const read = (file) => {
    const text = utf8(readFileSync(file));
    try {
      return parse(text);
    } catch (error) {
      throw new Error(`${file}: ${error.message}:\n${text}`);
    }
  };
  // Sharek's sender looks at the outbox every 15 s, hence the default.
  const waitFor = async (count, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const arrived = files();
      if (arrived.length >= count) return arrived.map(read);
      if (Date.now() > deadline) {
        const what = JSON.stringify(arrived.map(read), null, 2);
        throw new Error(`expected ${count} messages within ${timeoutMs} ms, ${arrived.length} arrived: ${what}\naiosmtpd's output:\n${log.join('')}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { url: `smtp://127.0.0.1:${port}`, waitFor, stop };
}

/**
 * Python's Maildir names a message `<seconds>.M<microseconds>P<pid>Q<count>.<host>`, the count
 * going up with each message this aiosmtpd delivers. The name itself does not sort: the
 * microseconds are not zero-padded.
 */
function deliveryOrder(file) {
  const count = /^\d+\.M\d+P\d+Q(\d+)\./.exec(basename(file))?.[1];
  if (count === undefined) throw new Error(`${file}: not a name Python's Maildir gives`);
  return Number(count);
}

const utf8 = (bytes) => new TextDecoder('utf-8', { fatal: true }).decode(bytes);

/**
 * A message as Python's Maildir writes it: `\n` line endings; the headers as they arrived, a
 * long one folded onto lines that start with white space, then aiosmtpd's X-Peer, X-MailFrom
 * and X-RcptTo; a blank line; the body. Single-part text, as Sharek sends.
 */
function parse(text) {
  const end = text.indexOf('\n\n');
  if (end < 0) throw new Error('no blank line after the headers');
  const headers = [];
  for (const line of text.slice(0, end).split('\n')) {
    if (/^[ \t]/.test(line)) {
      // Unfolding: the line break goes, the white space after it stays.
      if (headers.length === 0) throw new Error('a folded line before the first header');
      headers.at(-1)[1] += line;
    } else {
      const colon = line.indexOf(':');
      if (colon < 0) throw new Error(`not a header: ${JSON.stringify(line)}`);
      headers.push([line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trimStart()]);
    }
  }
  const header = (name) => headers.find(([n]) => n === name.toLowerCase())?.[1];
  const required = (name) => {
    const value = header(name);
    if (value === undefined) throw new Error(`no ${name} header`);
    return value;
  };
  // lettre ends the data with `\r\n.\r\n`: that line break ends the last line and is no part
  // of the body (in base64 it would not matter; in quoted-printable and 7bit it would add a
  // line).
  const body = text.slice(end + 2).replace(/\n$/, '');
  const encoding = (header('Content-Transfer-Encoding') ?? '7bit').trim().toLowerCase();
  let bytes;
  switch (encoding) {
    case 'base64': bytes = Buffer.from(body, 'base64'); break;
    case 'quoted-printable': bytes = quotedPrintable(body); break;
    case '7bit': case '8bit': bytes = Buffer.from(body, 'utf8'); break;
    default: throw new Error(`a transfer encoding lettre does not use: ${encoding}`);
  }
  return {
    to: decodeWords(required('To')),
    subject: decodeWords(required('Subject')),
    // lettre sends CRLF line breaks, and base64 keeps them.
    body: utf8(bytes).replaceAll('\r\n', '\n'),
  };
}

/**
 * Quoted-printable (RFC 2045, 6.7), which is ASCII: white space at a line's end is the
 * transport's and goes, `=` at a line's end joins it to the next, `=XX` is a byte.
 */
function quotedPrintable(text) {
  const joined = text.replace(/[ \t]+$/gm, '').replaceAll('=\n', '');
  const latin1 = joined.replace(/=([0-9A-Fa-f]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(latin1, 'latin1');
}

/**
 * A header's value with its RFC 2047 encoded words decoded: lettre writes `=?utf-8?b?…?=` for
 * the non-ASCII words (all of an Arabic subject), several of them when folded. White space
 * between two encoded words is not text and goes; beside a plain word it stays.
 */
function decodeWords(value) {
  let text = '';
  // The bytes of adjacent encoded words, decoded together: an encoder may split a character
  // between two words.
  let pending = [];
  let afterEncoded = false;
  for (const [, space, word] of value.matchAll(/(\s*)(\S*)/g)) {
    const bytes = encodedWord(word);
    if (bytes) {
      if (!afterEncoded) text += space;
      pending.push(bytes);
      afterEncoded = true;
    } else {
      text += utf8(Buffer.concat(pending)) + space + word;
      pending = [];
      afterEncoded = false;
    }
  }
  return text + utf8(Buffer.concat(pending));
}

/** The bytes an encoded word `=?charset?B|Q?text?=` stands for, or null for a plain word. */
function encodedWord(word) {
  const match = /^=\?([^?]+)\?([BbQq])\?([^?]*)\?=$/.exec(word);
  if (!match) return null;
  const [, charset, encoding, encoded] = match;
  if (!/^(utf-8|us-ascii)$/i.test(charset)) throw new Error(`${word}: a charset lettre does not use`);
  // Q is quoted-printable with `_` for a space.
  return /b/i.test(encoding) ? Buffer.from(encoded, 'base64') : quotedPrintable(encoded.replaceAll('_', ' '));
}
