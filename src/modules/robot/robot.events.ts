// Events the robot publishes, written in the transaction that made the change.

/** The customer rated one of the robot's answers useful or not (rating again replaces it). */
export interface RobotRated {
  name: 'robot.rated';
  siteId: number;
  chatId: number;
  messageId: number;
  questionId: number;
  useful: boolean;
}

export type RobotEvent = RobotRated;
