import { LabApiError } from '../api/lab-errors.js';
import type { LabApiErrorCode } from '../api/lab-errors.js';

const STATUS: Record<LabApiErrorCode, number> = { 'bad-request': 400, 'not-found': 404, conflict: 409, unsupported: 422, failed: 500 };

/** A LabApi failure as HTTP: status code and the `{ ok: false, error }` body. */
export function toHttpError(error: unknown): { status: number; body: { ok: false; error: { code: string; message: string } } } {
  if (error instanceof LabApiError) return { status: STATUS[error.reason], body: { ok: false, error: { code: error.reason, message: error.message } } };
  const message = error instanceof Error ? error.message : String(error);
  return { status: 500, body: { ok: false, error: { code: 'failed', message } } };
}
