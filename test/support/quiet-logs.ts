import { Logger } from '@nestjs/common';

// Standalone drivers log through Nest's console logger; keep test output readable unless asked for.
if (!process.env.TEST_LOG_LEVEL) Logger.overrideLogger(false);
