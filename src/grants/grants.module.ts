import { Module } from '@nestjs/common';

/** Citizens, grants, the written agreement, due tasks and progress reports. */
@Module({})
export class GrantsModule {}
