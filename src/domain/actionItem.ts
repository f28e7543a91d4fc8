/** A follow-up action of an incident, from `/incident action`. */
export interface ActionItem {
  id: number;
  incidentId: number;
  text: string;
  ownerId: string | null;
  dueOn: string | null;
  status: 'open' | 'done';
  createdBy: string;
  createdAt: Date;
  doneBy: string | null;
  doneAt: Date | null;
}

export type NewActionItem = Pick<ActionItem, 'incidentId' | 'text' | 'ownerId' | 'dueOn' | 'createdBy' | 'createdAt'>;
