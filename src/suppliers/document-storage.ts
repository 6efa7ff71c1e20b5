import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AgreementRecordsStore } from './agreement-records.store';

/**
 * Where a contract document's bytes are kept, by the document's id. The database storage below keeps them in
 * PostgreSQL (bytea), which works the same embedded and on a server; a file or object store can replace it by
 * providing this class. The bytes are written in the caller's transaction when the storage can take part in it,
 * so a refused upload stores nothing.
 */
export abstract class DocumentStorage {
  abstract put(manager: EntityManager, documentId: string, content: Buffer): Promise<void>;
  abstract get(manager: EntityManager, documentId: string): Promise<Buffer | null>;
}

@Injectable()
export class DatabaseDocumentStorage extends DocumentStorage {
  constructor(private readonly store: AgreementRecordsStore) {
    super();
  }

  put(manager: EntityManager, documentId: string, content: Buffer): Promise<void> {
    return this.store.putContent(manager, documentId, content);
  }

  get(manager: EntityManager, documentId: string): Promise<Buffer | null> {
    return this.store.content(manager, documentId);
  }
}
