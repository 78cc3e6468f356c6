// The built-in robot: answers customers from the site's knowledge base and hands over to people.
import type { ParleyModule } from '../../platform/module.ts';
import { registerRobotRoutes } from './robot.routes.ts';
import { createRobotService, type RobotDeps, type RobotService } from './robot.service.ts';

export { robotSettingsOf } from './robot.service.ts';

export type { RobotEvent } from './robot.events.ts';
export type { ListedQuestion, QuestionView, RobotAnswerData, RobotDeps, RobotService, RobotSettings } from './robot.service.ts';

/** The robot module: its service and the knowledge-base routes. */
export function createRobotModule(deps: RobotDeps): ParleyModule<RobotService> {
  const service = createRobotService(deps);
  return { service, routes: (http) => registerRobotRoutes(http, service) };
}
