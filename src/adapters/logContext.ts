/**
 * What a log line is about, carried through asynchronous calls: the request id of the HTTP request being served
 * (set for each request by src/http/setup/operations.ts) or the background job being run (set by the job's runner).
 * The app's logger adds it to every line written meanwhile, so services and jobs need not pass it around; a job
 * started by a request keeps that request's id, stored with the job.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface LogContext {
  /** The id of the HTTP request (X-Request-Id from a trusted proxy, or generated). */
  reqId?: string;
  /** The background job being run, e.g. `document:42`. */
  job?: string;
}

const storage = new AsyncLocalStorage<LogContext>();

/** Runs `work` with `context` attached to everything it logs, including what it starts asynchronously. */
export function withLogContext<T>(context: LogContext, work: () => T): T {
  return storage.run(context, work);
}

/** The context of the code running now, or an empty one. */
export function currentLogContext(): LogContext {
  return storage.getStore() ?? {};
}
