# The terminal's words in English. Ids and groups as in it.ftl, which is the reference.

# The language's own name, shown on the button that switches to it.
language-name = English

## The window and its tabs

reception = Reception
desk = Desk
tally = Tally
open-display = Wall display
chime-on = Chime: on
chime-off = Chime: off
dark-theme = Dark theme
light-theme = Light theme
opening = Opening the register…
passphrase-title = Encrypted register
passphrase-note = Type the register's passphrase (ask the administrator).

## Records: the person's rights, merges, the audit trail

records = Records
person-requests = Rights of the person
export-data = Export the data (JSON)
erase-data = Erase personal data…
confirm-erase = Confirm: erase for good
cancel = Cancel
merge-records = Merge two records
merge = Merge
undo-merge = Undo merge no.
audit-trail = Audit trail
show = Show
erased = personal data erased; the figures stay
merged-number = merge no.
merge-undone = Undone: merge no.

## Sign-in, the lock, staff accounts

first-admin-title = First start: administrator account
first-admin-note = The administrator then creates the staff accounts. Password of at least 8 characters.
sign-in-title = Staff sign-in
locked-title = Terminal locked
locked-note = Locked after idle minutes or with Ctrl+L. The password unlocks it; nothing was lost.
new-password-title = Choose a new password
new-password-note = An administrator reset your password.
wall-screen-title = Wall screen
wall-screen-note = This PC is the waiting room's wall screen. An administrator signs in to make it a terminal again; Esc goes back to the screen.
wall-screen-admin-only = Only an administrator can make this PC a terminal again
staff-name = User name
password = Password
repeat-password = Repeat the password
create-admin = Create administrator
unlock = Unlock
save-password = Save password
sign-in = Sign in
someone-else = Sign in as someone else
staff-accounts = Staff accounts
create-account = Create account
reset-note = To reset a forgotten password: type a temporary password above and press Reset; it must be changed at the next sign-in.
account-locked = locked (6 attempts)
must-change = must change password
reset-password = Reset password
change-role = Give chosen role
idle-lock-minutes = Lock after idle minutes
save = Save
staff = Staff
sign-out = Sign out
lock-now = Lock (Ctrl+L)
backup-failed = Today's backup could not be written
crash-notice = The terminal stopped on an internal error and restarted. Accesses already confirmed are saved. Details
server-away = Server not reachable, retrying…

## Reception

family-name = Family name
given-name = Given name
birth-date = Birth date
date-hint = YYYY-MM-DD
sex = Sex
country = Country of origin
country-hint = Type to search…
languages = Languages spoken
languages-hint = codes, e.g. ar, bn, es
sai-guest = SAI guest
channel = Channel
service = Service requested
priority = Priority
no-priority = None
proposed-queue = Proposed queue
because-sai = SAI guest
because-not-sai = not an SAI guest
override-queue = Change queue
keep-proposed = Proposed queue
override-reason = Reason for the change (required)
register = Register (Enter)
registering = Registering…
clear = Clear (Esc)
first-access = FIRST ACCESS
returning = Returning visitor
candidates = Possible matches
likely = likely
no-candidates = No match on file
confirm-by-asking = Confirm by asking the birth date
use-candidate = This is the person
not-this-person = Not this person
issued-ticket = Ticket
estimated-wait = Estimated wait
no-desk-open = no desk open
recent-accesses = Today's accesses
no-accesses-yet = No accesses yet today
after-hours = Outside walk-in hours: register appointments only
public-holiday = Public holiday
closing-soon = Closing soon: the visitor may not be seen today

## Desk

desk-label = Desk label
finish-current-first = Finish the current visitor first
desk-label-example = Desk 1
queues-served = Queues served
my-languages = My languages
call-next = Call next (F5)
recall = Recall (F6)
start = Start (F7)
finish = Done (F8)
no-show = No-show (F9)
transfer = Transfer
transfer-to = Transfer to
now-serving = At the desk
nobody-at-desk = Nobody at the desk
nobody-waiting = Nobody waiting
waiting-list = Waiting
speaks-language = speaks one of your languages

## Tally

today = Today
accesses = Accesses
first-time-share = First-time share (walk-ins)
new-visitors = New users
unique-visitors = People
waiting = Waiting
at-desk = At a desk
served = Served
no-shows = No-shows
average-wait = Average wait
longest-wait = Longest wait
arrivals-per-hour = Arrivals per hour
per-service = Per service
range = Date range
from = From
to = To
compute = Compute
export-csv = Export CSV
exported-to = Exported to
monthly-accesses = Accesses per month
average-monthly = Monthly average
top-services = Top services
top-countries = Top countries
unknown = not stated

## Shared

dismiss = Dismiss
visitor = Visitor
last-calls = Last calls
queue = Queue

## Counts. Italian and English use the CLDR plural categories one and other.

waiting-count =
    { $count ->
        [one] { $count } person waiting
       *[other] { $count } people waiting
    }
estimated-wait-minutes =
    Estimated wait ~{ $minutes } { $minutes ->
        [one] minute
       *[other] minutes
    }
waited-minutes =
    { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    } waiting
access-count =
    { $count ->
        [one] { $count } access
       *[other] { $count } accesses
    }
minutes-short = { $minutes } min

## Queues, channels, sex, priorities, ticket states

queue-sai = SAI
queue-general = General
channel-walk-in = Walk-in
channel-appointment = Appointment
sex-f = Woman
sex-m = Man
sex-x = X
sex-unknown = Not stated
priority-minor = Minor
priority-pregnancy = Pregnancy
priority-disability = Disability
priority-illness = Illness
priority-elderly = Elderly
state-waiting = waiting
state-called = called
state-in-service = in service
state-done = done
state-no-show = no-show
state-transferred = transferred
state-cancelled = cancelled

## Staff roles

role-reception = Reception
role-mediator = Mediator
role-coordinator = Coordinator
role-admin = Administrator
role-booking = Bookings (contact center)
role-wall-screen = Wall screen
role-system = System (command line)

## Audit trail actions (the codes of src/domain/audit.rs)

audit-sign-in = Sign-in
audit-sign-out = Sign-out
audit-sign-in-failed = Failed sign-in
audit-lock = Terminal locked
audit-search = Search
audit-open-card = Card opened
audit-create = Registration
audit-update = Update
audit-merge = Merge
audit-undo-merge = Merge undone
audit-export = Export
audit-erase = Erasure
audit-staff-create = Account created
audit-role-change = Role changed
audit-password-reset = Password reset
audit-password-change = Password changed
audit-purge = Retention purge
audit-backup = Backup
audit-restore = Restore
audit-import = Import
audit-report = Report

## Keyboard, the desk's set-up, and errors in the staff's words

change-desk = Change desk
save-desk = Save (Enter)
desk-setup-note = Which desk is this PC? It stays set after sign-out and restart.
set-desk-first = Set this PC's desk first
err-required = required
err-choose-one = choose at least one
err-too-long = too long (at most { $max } characters)
err-too-short = too short (at least { $min } characters)
err-no-letter = has no letter
err-name-char = contains “{ $char }”, which is not part of a name
err-invisible = contains an invisible or control character
err-not-a-date = is not a date (type DD/MM/YYYY)
err-future = is in the future
err-before1900 = is before 1900
err-country = unknown country
err-language = “{ $code }” is not a language code (e.g. ar, bn, en)
err-phone = is not a phone number
err-only-spaces = is only spaces
err-mismatch = the two passwords differ
err-not-chosen = choose from the list
err-busy = The register is busy with another terminal: try again
err-sign-in = Wrong name or password
err-account-locked = Account locked after { $failures } failed sign-ins, until { $until }; an administrator can reset the password
err-forbidden = Your role does not allow this
err-read-only = The register is read-only: nothing was saved
err-disk-full = The disk is full: nothing was saved; free some space and try again
err-write-failed = The disk refused to write: nothing was saved; check the disk and try again
err-read-failed = The disk could not be read: check the disk and try again
err-not-found = Not found
err-transition = Not possible in the ticket's present state
err-technical = Register error; for support
larger-text = Larger text
candidate-keys = ↓ ↑ to choose, Enter to confirm
normal-text = Normal text
cancelled = Cancelled
err-range-order = The range starts after it ends
err-not-a-number = is not a number
err-out-of-range = from { $min } to { $max }

## Printed tickets and spoken calls
voice-on = Voice: on
voice-off = Voice: off
reprint = Reprint
not-printed = not printed: { $reason }
print-no-printer = this PC has no printer
print-bad-address = the printer's address is not valid
print-refused = the printer refuses the connection (is it on? the right address?)
print-no-answer = the printer does not answer (is it on and plugged in?)
print-unreachable = the printer cannot be reached on the network
print-closed = the printer closed the connection halfway through the ticket
print-paper-out = out of paper
print-cover-open = the printer's cover is open
print-offline = the printer is offline
print-fault = printer error (paper jam or cutter): switch it off and on
print-no-device = printer not found (plugged in? permissions?)
print-render = the ticket could not be drawn

## Why a candidate is proposed (`reason-` and the stable code of `Reason`)

reason-name-same = same name
reason-name-variant = name spelled another way
reason-name-phonetic = name that sounds the same
reason-name-script = name in another script
reason-name-similar = similar name (a typo)
reason-name-initial = initial
reason-name-different = one name part differs
reason-name-not-typed = one name part not typed
reason-name-not-on-file = one name part not on file
reason-fields-swapped = family and given name swapped
reason-date-impossible = typed date impossible
reason-date-exact = same birth date
reason-date-two-digit-year = year typed with two digits
reason-date-digits-swapped = date with two digits swapped
reason-date-day-month-swapped = day and month swapped
reason-date-one-digit = date one digit off
reason-date-year-one-off = year one off
reason-date-year-keystroke = year one key off
reason-date-year-digit = year one digit off
reason-date-year-only = same year (year only)
reason-date-jan-first = same year (1 January as a placeholder)
reason-date-near-year = near year
reason-date-not-typed = no date typed
reason-date-not-on-file = no date on file
reason-date-different = different date

## Appointments (issue 14)

appointments = Appointments
agenda-of = Agenda of the day
previous-day = ◀ PgUp
next-day = PgDn ▶
filter-agenda = Name or booking code
time = Time
booking-code-label = Code
state = State
no-bookings = No bookings on this day
check-in = Check in (Enter)
cancel-booking = Cancel booking (F8)
confirm-cancel-booking = Press F8 again to cancel
reschedule = Reschedule (F6)
moving = Moving
new-booking = New booking
free-slots = Next free slots
no-free-slots = No free slot within the booking horizon
phone = Phone
visitor-code-optional = Visitor code (if on file)
booked-via-label = Booked via
book = Book (Enter)
confirmation = Confirmation to read out or paste into an email
confirmation-language = Language of the confirmation
copy = Copy
copied = Copied to the clipboard
checked-in-late = Arrived past the allowance: served as a walk-in
checked-in-on-time = Checked in: queued as an appointment
due-next-hour = Appointments in the next hour (F2)
none-due = None
err-code-names = no visitor has this code and these names
booking-refused = Booking refused
slot = Slot
on-file-chosen = Person on file
appointment-keys = F2 next appointment · Enter checks in · ↑↓ choose · F3 new booking · F6 reschedule · F8 cancel · PgUp/PgDn day
booking-cancelled = Booking cancelled
cancel-move = Stop moving
appointment-state-booked = booked
appointment-state-checked-in = checked in
appointment-state-no-show = no-show
appointment-state-cancelled = cancelled
via-contact-center = contact center
via-email = email
via-desk = desk
err-slot-full = the { $time } slot is full; next free: { $next }
err-slot-full-day = the { $time } slot is full; no free slot left that day
err-already-booked = this person already holds booking { $code } for this service that day (at { $time })
name-column = Name
