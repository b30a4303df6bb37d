import { askCommand } from "./ask.ts";
import { chatCommand } from "./chat.ts";
import type { Command } from "./command.ts";
import { modelsCommand } from "./models.ts";
import { usageCommand } from "./usage.ts";

export const commands: readonly Command[] = [askCommand, chatCommand, modelsCommand, usageCommand];
