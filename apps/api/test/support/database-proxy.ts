import { connect, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';

/** A TCP proxy in front of the test database (on TCP, or on a Unix socket: `?host=<dir>`) that can be made to drop every connection. */
export async function startDatabaseProxy(target: URL) {
  const sockets = new Set<Socket>();
  let down = false;
  const server: Server = createServer((client) => {
    if (down) return client.destroy();
    const socketDir = target.searchParams.get('host');
    const upstream = socketDir ? connect(join(socketDir, `.s.PGSQL.${target.port || 5432}`)) : connect(Number(target.port || 5432), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const url = new URL(target);
  url.port = String(port);
  url.hostname = '127.0.0.1';
  url.searchParams.delete('host');
  return {
    url: url.toString(),
    setDown(value: boolean) {
      down = value;
      if (down) for (const socket of sockets) socket.destroy();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
