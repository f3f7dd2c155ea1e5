/**
 * An error with the HTTP status a route wants the visitor to get. It is an answer, not a fault, so it carries no
 * stack trace: capturing one was a twentieth of what a 404 cost.
 */
export class HttpError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super(message);
    } finally {
      Error.stackTraceLimit = limit;
    }
    this.status = status;
  }
}

export const notFound = (message = 'Not found') => new HttpError(404, message);
export const badRequest = (message = 'Bad request') => new HttpError(400, message);
export const forbidden = (message = 'Forbidden') => new HttpError(403, message);
export const conflict = (message = 'Conflict') => new HttpError(409, message);
export const tooManyRequests = (message = 'Too many requests') => new HttpError(429, message);
