// What the run's redis-server spends: `INFO cpu` (its CPU time, µs resolution) and `INFO memory`, over one
// short RESP connection, so a `resume: 'redis'` target's windows count Redis's CPU as the run's own.
import { createConnection } from 'node:net';

/** Fields of `INFO <section>` from the redis-server on 127.0.0.1:`port`. */
export function redisInfo(port: number, section: string): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    let reply = Buffer.alloc(0);
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    socket.setTimeout(5000, () => fail(new Error(`redis INFO ${section}: no answer within 5 s`)));
    socket.once('error', fail);
    socket.once('connect', () => socket.write(`INFO ${section}\r\n`));
    socket.on('data', (part: Buffer) => {
      reply = Buffer.concat([reply, part]);
      const header = reply.indexOf('\r\n');
      if (header < 0) return;
      if (reply[0] !== 0x24) return fail(new Error(`redis INFO ${section}: ${reply.toString().trim()}`));
      const length = Number(reply.subarray(1, header).toString());
      if (reply.length < header + 2 + length) return;
      socket.destroy();
      const fields: Record<string, string> = {};
      for (const line of reply
        .subarray(header + 2, header + 2 + length)
        .toString()
        .split('\r\n')) {
        const colon = line.indexOf(':');
        if (colon > 0 && !line.startsWith('#')) fields[line.slice(0, colon)] = line.slice(colon + 1);
      }
      resolve(fields);
    });
  });
}

/** The redis-server's CPU time so far (user + system, its main process), µs. */
export async function redisCpuUs(port: number): Promise<number> {
  const cpu = await redisInfo(port, 'cpu');
  return (Number(cpu.used_cpu_user) + Number(cpu.used_cpu_sys)) * 1e6;
}
