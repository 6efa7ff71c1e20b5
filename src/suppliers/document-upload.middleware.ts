import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { NextFunction, Request, Response } from 'express';
import multer from 'multer';
import { DOCUMENT_MAX_BYTES } from './contract-document.rules';

/** What the upload middleware leaves on the request: the file's bytes and name, or that it was over the limit. */
export interface UploadedDocument {
  content: Buffer | null;
  fileName: string | undefined;
  tooLarge: boolean;
}

const parse = multer({ storage: multer.memoryStorage(), limits: { fileSize: DOCUMENT_MAX_BYTES, files: 1, fields: 10, fieldSize: 10_000 } }).single('file');

/**
 * Reads a multipart upload (field `file`) before the guards run, so a page's form can carry its CSRF token in
 * the same body. A file over the size limit stops being read and is marked, and the controller refuses it with
 * 422 like every other rule; any other broken body goes on as a request without a file.
 */
export function documentUpload(request: Request, response: Response, next: NextFunction): void {
  if (request.method !== 'POST' || !request.is('multipart/form-data')) {
    setUpload(request, { content: null, fileName: undefined, tooLarge: false });
    next();
    return;
  }
  parse(request, response, (error: unknown) => {
    const file = (request as Request & { file?: { buffer: Buffer; originalname: string } }).file;
    const tooLarge = error instanceof multer.MulterError && error.code === 'LIMIT_FILE_SIZE';
    if (error && !tooLarge) request.body = request.body ?? {};
    setUpload(request, { content: tooLarge ? null : (file?.buffer ?? null), fileName: file?.originalname, tooLarge });
    next();
  });
}

const UPLOAD = Symbol('uploaded document');

function setUpload(request: Request, upload: UploadedDocument): void {
  (request as unknown as Record<symbol, UploadedDocument>)[UPLOAD] = upload;
}

export function uploadedDocument(request: Request): UploadedDocument {
  return (request as unknown as Record<symbol, UploadedDocument | undefined>)[UPLOAD] ?? { content: null, fileName: undefined, tooLarge: false };
}

/**
 * The same reading for the API route, after its guards (an API call carries a bearer token or the CSRF header,
 * never the token in the body), so the route is not mounted twice in the router.
 */
@Injectable()
export class DocumentUploadInterceptor implements NestInterceptor {
  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    await new Promise<void>((resolve) => documentUpload(http.getRequest<Request>(), http.getResponse<Response>(), () => resolve()));
    return next.handle();
  }
}
