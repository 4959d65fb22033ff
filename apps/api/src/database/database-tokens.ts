/** The database this process opened (an `OpenDatabase`). */
export const OPEN_DATABASE = Symbol('OPEN_DATABASE');
