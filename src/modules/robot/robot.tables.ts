// The robot module's tables, as Kysely sees them. Only this module's repositories query them;
// other modules go through modules/robot/index.ts.
import type { ColumnType, Selectable } from 'kysely';
import type { CreatedAt, Flag, Id, Timestamp } from '../../platform/db/columns.ts';

export interface RobotQuestionsTable {
  id: Id;
  site_id: number;
  kind: ColumnType<'qa' | 'greeting', 'qa' | 'greeting' | undefined, 'qa' | 'greeting'>;
  title: string;
  /** JSON array of alternative phrasings. */
  alternatives: ColumnType<string, string | undefined, string>;
  answer: string;
  /** JSON array of related question ids. */
  related: ColumnType<string, string | undefined, string>;
  third_url: string | null;
  is_active: Flag;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface RobotRatingsTable {
  id: Id;
  site_id: number;
  chat_id: number;
  message_id: number;
  question_id: number;
  useful: Flag;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

// A type, not an interface: Kysely's withTables() wants an index signature.
export type RobotTables = {
  robot_questions: RobotQuestionsTable;
  robot_ratings: RobotRatingsTable;
};

export type RobotQuestion = Selectable<RobotQuestionsTable>;
