// Where a CLI command writes: the process's streams, or a test's buffers.
export interface CommandIo {
  out(line: string): void;
  err(line: string): void;
  /** Resolves when the user interrupts (Ctrl-C) a command that runs until then (--follow, listen). */
  interrupted(): Promise<void>;
}

export function processIo(): CommandIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    // Registered only by the commands that wait for it: the others keep Ctrl-C's default.
    interrupted: () =>
      new Promise((resolve) => {
        process.once('SIGINT', () => resolve());
        process.once('SIGTERM', () => resolve());
      }),
  };
}
