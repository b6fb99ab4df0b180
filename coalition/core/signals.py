"""Domain events other layers may listen to (blinker), so a lower domain never imports the one that reacts.

Each signal is sent by the domain service right after the change is flushed, with the coalition's id as sender and the
changed object as keyword: `member_joined.send(coalition.id, membership=membership)`. Receivers run in the same
transaction and must not commit.
"""

from blinker import Namespace

_signals = Namespace()

#: sender: coalition id; membership=Membership
member_joined = _signals.signal("member-joined")
#: sender: coalition id; membership=Membership
member_left = _signals.signal("member-left")
#: sender: coalition id; rsvp=Rsvp, created=bool
rsvp_changed = _signals.signal("rsvp-changed")
#: sender: coalition id; story=Story
story_submitted = _signals.signal("story-submitted")
#: sender: coalition id; outreach=Outreach
outreach_logged = _signals.signal("outreach-logged")
#: sender: coalition id; meeting=Meeting
meeting_cancelled = _signals.signal("meeting-cancelled")
