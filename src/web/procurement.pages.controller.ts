import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** Procurement's pages: suppliers, agreements with rate cards and ceiling use; a supplier's own agreements. */
@ApiExcludeController()
@Controller()
export class ProcurementPagesController {}
