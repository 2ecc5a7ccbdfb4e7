/** A lean SMTP sink for the benchmark: accepts everything, records when each Message-ID arrived. */
import { SMTPServer } from 'smtp-server';

export interface BenchSink {
  url: string;
  /** Message-ID → arrival time (performance.now()). */
  arrivals: Map<string, number>;
  count(): number;
  close(): Promise<void>;
}

export async function startBenchSink(): Promise<BenchSink> {
  const arrivals = new Map<string, number>();
  let anonymous = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    maxClients: 200,
    onData(stream, _session, done) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 4096) head += chunk.toString('utf8');
      });
      stream.on('end', () => {
        const id = /^message-id:\s*(.+)$/im.exec(head)?.[1]?.trim() ?? `anon-${anonymous++}`;
        arrivals.set(id, performance.now());
        done();
      });
    },
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.server.address() as { port: number }).port;
  return {
    url: `smtp://127.0.0.1:${port}`,
    arrivals,
    count: () => arrivals.size,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
