import { ErrorCode } from '../shared/error-codes';

/** The one error type routes and use cases throw; the error handler renders it as problem+json. */
export class AppError extends Error {
  override name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    readonly status: number,
    message: string,
    readonly details?: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  static badRequest(message: string, details?: unknown) {
    return new AppError(ErrorCode.BadRequest, 400, message, details);
  }
  static unauthorized(message = 'A valid token is required.') {
    return new AppError(ErrorCode.Unauthorized, 401, message);
  }
  static forbidden(message: string) {
    return new AppError(ErrorCode.Forbidden, 403, message);
  }
  static notFound(message: string) {
    return new AppError(ErrorCode.NotFound, 404, message);
  }
  static roomNotFound(code: string) {
    return new AppError(ErrorCode.RoomNotFound, 404, `No room with code ${code}; check the code, or the room may have expired.`);
  }
  static roomDeleted(code: string) {
    return new AppError(ErrorCode.RoomDeleted, 410, `Room ${code} was deleted by its host or an admin.`);
  }
  static conflict(code: ErrorCode, message: string) {
    return new AppError(code, 409, message);
  }
  /** 429 with the seconds to wait, which the error handler sends as `Retry-After`. */
  static rateLimited(message: string, retryAfterSeconds: number) {
    const err = new AppError(ErrorCode.RateLimited, 429, message);
    err.retryAfterSeconds = retryAfterSeconds;
    return err;
  }
  /** 503 with the seconds to wait (`Retry-After`): the request may succeed as it is, a moment later. */
  static unavailable(code: ErrorCode, message: string, retryAfterSeconds: number) {
    const err = new AppError(code, 503, message);
    err.retryAfterSeconds = retryAfterSeconds;
    return err;
  }
  retryAfterSeconds?: number;
}
