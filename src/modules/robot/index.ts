export { registerRobotRoutes } from './robot.routes.ts';
export { createRobotService, type RobotAnswerData, type RobotService } from './robot.service.ts';
