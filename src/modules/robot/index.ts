export { registerRobotRoutes } from './robot.routes.ts';
export { createRobotService, type RobotAnswerData, type RobotService, type RobotSettings } from './robot.service.ts';
