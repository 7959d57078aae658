import { z } from 'zod';
import { dayIn } from './dates.js';
import type { Article } from './types.js';

type ArticleStatus = Article['status'];

// The desk: what needs each person, shared by the server and the newsroom app.

/** What a person can be told of, and how the app names each kind. */
export const NOTIFICATION_KINDS = {
  mention: 'Someone names me in a note',
  assignment: 'I am given a story',
  'sent-back': 'My article is sent back with a note',
  submitted: 'An article is submitted for review (editors)',
} as const;
export type NotificationKind = keyof typeof NOTIFICATION_KINDS;

export function isNotificationKind(value: string): value is NotificationKind {
  return value in NOTIFICATION_KINDS;
}

/** How one kind reaches a person: in the app (the desk and its count) and by e-mail. */
export type NotificationChoice = { inApp: boolean; byEmail: boolean };

/** Until a person chooses: everything in the app, nothing by e-mail. */
export const DEFAULT_CHOICE: NotificationChoice = { inApp: true, byEmail: false };

export const notificationChoicesSchema = z.partialRecord(
  z.enum(Object.keys(NOTIFICATION_KINDS) as [NotificationKind, ...NotificationKind[]]),
  z.object({ inApp: z.boolean(), byEmail: z.boolean() }),
);

/** A story given to a writer: an existing article, or a working title for one not yet written. */
export const assignmentInputSchema = z.object({
  assigneeId: z.number().int().positive(),
  articleId: z.number().int().positive().optional(),
  title: z.string().trim().max(200).optional(),
  note: z.string().trim().max(2000).default(''),
  deadline: z.iso.datetime({ offset: true }).optional(),
});
export type AssignmentInput = z.infer<typeof assignmentInputSchema>;

export type Assignment = {
  id: number;
  /** The working title (a placeholder's, or the article's headline when it has one). */
  title: string;
  note: string;
  deadline: string | null;
  article: { id: number; title: string; status: string } | null;
  assignee: { userId: number; name: string };
  assignedBy: string | null;
  doneAt: string | null;
  createdAt: string;
};

/**
 * Assignments by the day of their deadline in `timeZone` ("2026-03-02"),
 * days in order, those without a deadline last under "".
 */
export function byDeadlineDay(
  assignments: readonly Assignment[],
  timeZone: string,
): { day: string; assignments: Assignment[] }[] {
  const days = new Map<string, Assignment[]>();
  for (const assignment of assignments) {
    const day = assignment.deadline ? dayIn(new Date(assignment.deadline), timeZone) : '';
    days.set(day, [...(days.get(day) ?? []), assignment]);
  }
  return [...days.entries()]
    .sort(([a], [b]) => (a === '' ? 1 : b === '' ? -1 : a.localeCompare(b)))
    .map(([day, list]) => ({
      day,
      assignments: list.sort((x, y) => (x.deadline ?? '').localeCompare(y.deadline ?? '')),
    }));
}

/** An article as the desk lists it. */
export type DeskItem = {
  id: number;
  title: string;
  status: ArticleStatus;
  section: string;
  updatedAt: string;
  /** Why it is listed, when there is more to say (the note it was sent back with…). */
  detail: string | null;
};

/** One person's start screen (GET /api/desk). */
export type Desk = {
  /** Editors: submitted articles, oldest waiting first. */
  forReview: DeskItem[] | null;
  /** Writers: their articles sent back with a note; editors: drafts they sent back. */
  sentBack: DeskItem[];
  /** Editors: what is scheduled to go out today (the newsroom's day). */
  scheduledToday: DeskItem[] | null;
  /** Editors: corrections of the last seven days. */
  recentCorrections: DeskItem[] | null;
  /** Live coverage running now. */
  live: DeskItem[];
  /** The person's own drafts. */
  myDrafts: DeskItem[];
  /** Open threads naming the person. */
  mentions: DeskItem[];
  /** Stories given to the person, not done yet. */
  assignments: Assignment[];
  notifications: { unread: number };
};

/** A notification as its person reads it (GET /api/notifications). */
export type NotificationView = {
  id: number;
  kind: NotificationKind;
  text: string;
  articleId: number | null;
  createdAt: string;
  isRead: boolean;
};
