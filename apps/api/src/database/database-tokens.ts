/** The database this process opened (an `OpenDatabase`). */
export const OPEN_DATABASE = Symbol('OPEN_DATABASE');

/** The metric reads' replica (a `ReadReplica`), or null when DATABASE_READ_URL is not set. */
export const READ_REPLICA = Symbol('READ_REPLICA');
