/** The SQLSTATE of a failed query, wherever TypeORM or pg put it. */
export function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const driverError = (error as { driverError?: { code?: unknown } }).driverError;
  const code = driverError?.code ?? (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

export function isUniqueViolation(error: unknown): boolean {
  return sqlState(error) === '23505';
}

/**
 * SQLSTATEs of a database that is away, restarting, saturated or busy: the same request may succeed
 * later. 08: connection exceptions; 57P01-03: shut down by an administrator, crashed, not accepting
 * connections yet; 53300: too many connections; 57014: cancelled (statement_timeout, a lock held too
 * long); 55P03: lock not available; 40001, 40P01: serialization failure, deadlock.
 */
const TRANSIENT_STATES = /^(08...|57P0[123]|53300|57014|55P03|40001|40P01)$/;
const TRANSIENT_CODES = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENOENT'];

/** The database could not be reached, dropped the connection, or could not answer in time: the caller may retry later. */
export function isConnectionFailure(error: unknown): boolean {
  const state = sqlState(error);
  if (state && (TRANSIENT_STATES.test(state) || TRANSIENT_CODES.includes(state))) return true;
  // TypeORM releases a transaction's connection when the connection breaks; its next statement then says so.
  if (error instanceof Error && error.name === 'QueryRunnerAlreadyReleasedError') return true;
  const message = error instanceof Error ? error.message : '';
  return /Connection terminated|timeout exceeded when trying to connect|Connection refused|not queryable|Client was closed|connection error/i.test(message);
}

/** The database's disk is full (disk_full, or the file system said so): nothing was written; it works again once space returns. */
export function isDiskFull(error: unknown): boolean {
  return sqlState(error) === '53100' || /No space left on device/i.test(error instanceof Error ? error.message : '');
}
