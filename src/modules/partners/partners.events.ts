// Events of partners' lives, written in the transaction of the change. A partner's own event has
// no site: `siteId` is null and `partnerId` names the partner (null for an application not yet a partner).

/** A company applied to become a partner. */
export interface PartnerApplied {
  name: 'partner.applied';
  siteId: null;
  partnerId?: undefined;
  applicationId: number;
}

/** A platform admin approved an application: the partner exists. */
export interface PartnerApproved {
  name: 'partner.approved';
  siteId: null;
  partnerId: number;
  applicationId: number;
  slug: string;
}

/** A platform admin turned an application down. */
export interface PartnerRejected {
  name: 'partner.rejected';
  siteId: null;
  partnerId?: undefined;
  applicationId: number;
}

/** A partner was created directly (the demo, an operator's script). */
export interface PartnerCreated {
  name: 'partner.created';
  siteId: null;
  partnerId: number;
  slug: string;
}

/** A platform admin suspended a partner (its credentials stop working) or reinstated it. */
export interface PartnerSuspended {
  name: 'partner.suspended' | 'partner.reinstated';
  siteId: null;
  partnerId: number;
}

export type PartnerEvent = PartnerApplied | PartnerApproved | PartnerRejected | PartnerCreated | PartnerSuspended;
