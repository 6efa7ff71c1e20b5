import { Controller } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';

/** The caseworker's grant pages and the supplier's view of its grants. */
@ApiExcludeController()
@Controller()
export class GrantsPagesController {}
