import { Inject, Injectable, type ExecutionContext, type NestInterceptor, type NestMiddleware } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { lastValueFrom, of } from 'rxjs';
import { APP_CONFIG } from '../common/config/config.module';
import type { AppConfig } from '../common/config/app-config';

/** The file of the invoice upload form, held in memory (multer's memory storage). */
export interface UploadedInvoiceFile {
  originalname: string;
  mimetype: string;
  size: number;
  buffer: Buffer;
}

/** The form field that carries the file. */
export const INVOICE_FILE_FIELD = 'file';

const uploadErrors = new WeakMap<Request, unknown>();

/** The file multer read from the request, if any. */
export function uploadedFileOf(request: Request): UploadedInvoiceFile | undefined {
  return (request as Request & { file?: UploadedInvoiceFile }).file;
}

/** Why the multipart body could not be read (e.g. a file above the size limit), for the page to show. */
export function uploadErrorOf(request: Request): unknown {
  return uploadErrors.get(request);
}

/**
 * Reads the invoice upload form (multipart/form-data) with multer through FileInterceptor, but as a
 * middleware: the session guard checks the form's CSRF field before any interceptor runs, so the body
 * must be parsed first. A parse error is kept for the page instead of ending the request, so the form
 * comes back with the reason (the CSRF check still runs on the fields read so far).
 */
@Injectable()
export class InvoiceUploadMiddleware implements NestMiddleware {
  private readonly multer: NestInterceptor;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const Interceptor = FileInterceptor(INVOICE_FILE_FIELD, { limits: { fileSize: config.bodyLimitBytes, files: 1, fields: 10, parts: 11 } });
    this.multer = new Interceptor();
  }

  async use(request: Request, response: Response, next: NextFunction): Promise<void> {
    const http = { getRequest: () => request, getResponse: () => response };
    const context = { switchToHttp: () => http } as unknown as ExecutionContext;
    try {
      await lastValueFrom(await this.multer.intercept(context, { handle: () => of(null) }));
    } catch (error) {
      uploadErrors.set(request, error);
    }
    next();
  }
}
