import { CliError, EXIT } from './exitCodes.js';

/**
 * A secret from the operator, never from argv (it would sit in the shell history and in
 * `ps`): on a terminal a prompt with echo off, entered twice; otherwise the first line of
 * stdin (a pipe or a file), without its line ending.
 */
export async function readSecret(prompt: string, input: NodeJS.ReadStream = process.stdin, output: NodeJS.WriteStream = process.stderr): Promise<string> {
  if (!input.isTTY) return firstLine(input);
  const first = await promptHidden(prompt, input, output);
  const again = await promptHidden('Repeat it: ', input, output);
  if (first !== again) throw new CliError(EXIT.refused, 'the two entries differ; nothing was changed');
  return first;
}

async function firstLine(input: NodeJS.ReadableStream): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += String(chunk);
    if (text.includes('\n')) break;
  }
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  if (line === '') throw new CliError(EXIT.usage, 'no password on stdin (expected one line)');
  return line;
}

/** Reads one line in raw mode, echoing nothing; Backspace edits, Ctrl-C / Ctrl-D abort. */
function promptHidden(prompt: string, input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<string> {
  output.write(prompt);
  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (error?: Error): void => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      output.write('\n');
      if (error) reject(error);
      else resolve(value);
    };
    const onData = (chunk: Buffer): void => {
      for (const ch of chunk.toString('utf8')) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003') return finish(new CliError(EXIT.interrupted, 'interrupted; nothing was changed'));
        if (ch === '\u0004') return finish(value === '' ? new CliError(EXIT.usage, 'no password entered') : undefined);
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else if (ch >= ' ') value += ch;
      }
    };
    input.setRawMode(true);
    input.resume();
    input.on('data', onData);
  });
}
