// Borrowing a connection from the pool, and giving it back in a state the next borrower can use: a
// connection whose failure left it unusable (cut, or stuck in a transaction) is destroyed, not
// returned, which is what lets the pool recover by itself once the database is back.
import type pg from 'pg';

interface Loan {
  client: pg.PoolClient;
  /** Back to the pool, or closed when `broken` (or when the connection failed while lent). */
  giveBack(broken?: boolean): void;
}

async function borrow(pool: pg.Pool): Promise<Loan> {
  const client = await pool.connect();
  // The pool listens for errors only on idle connections. One that fails while lent, between two
  // queries (the server shutting down, say), would otherwise throw an unhandled 'error' and take
  // the process down. The next query on it fails anyway, and that failure is what we report.
  let failed = false;
  const onError = () => (failed = true);
  client.on('error', onError);
  return {
    client,
    giveBack(broken = false) {
      client.removeListener('error', onError);
      client.release(broken || failed);
    },
  };
}

/** Runs work on one connection; `discard` closes it afterwards instead of pooling it. */
export async function withConnection<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>, discard = false): Promise<T> {
  const loan = await borrow(pool);
  let failed = true;
  try {
    const result = await work(loan.client);
    failed = false;
    return result;
  } finally {
    loan.giveBack(discard || failed);
  }
}

/** Runs work in one transaction: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(pool: pg.Pool, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const loan = await borrow(pool);
  let broken = false;
  try {
    await loan.client.query('BEGIN');
    const result = await work(loan.client);
    await loan.client.query('COMMIT');
    return result;
  } catch (error) {
    // A connection that cannot even roll back is gone; the pool must not hand it out again.
    await loan.client.query('ROLLBACK').catch(() => (broken = true));
    throw error;
  } finally {
    loan.giveBack(broken);
  }
}
