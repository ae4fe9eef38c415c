"""The default text of the service's own pages, seeded by ``migrations/0002``.

Plain constants (no models), so the data migration can import them and keep working
whatever the models become. Global administrators edit the live text in the admin; this
is only where it starts.
"""

ACCESSIBILITY_TITLE = "Accessibility statement for SEiR Pipeline"

ACCESSIBILITY_BODY = """\
This accessibility statement applies to SEiR Pipeline, the service the Social
Entrepreneur in Residence (SEiR) programme uses to follow social ventures from a first
conversation to a commissioned service: scouting meetings, the venture pipeline,
checklists, business plans, funding, outcomes and introductions to commissioners.

It is run by the organisation that hosts the programme. We want as many people as
possible to be able to use it. You should be able to:

- change colours, contrast levels and fonts using your browser or device settings
- zoom in up to 400% without the text spilling off the screen
- navigate the whole service using just a keyboard
- navigate most of the service using speech recognition software
- listen to most of the service using a screen reader (including the most recent
  versions of JAWS, NVDA and VoiceOver)
- use it on a phone, including recording a meeting without a connection (the draft is
  kept on the device and sent when the connection returns)

We have also made the text as simple as we can.
[AbilityNet](https://mcmw.abilitynet.org.uk/) has advice on making your device easier
to use if you have a disability.

## How accessible this service is

We know some parts of this service are not fully accessible:

- the pipeline board is arranged in five or more columns: on a phone you scroll sideways
  to see them all, and moving a venture by dragging its card needs a mouse or touch
  (the "Move" menu on each card does the same with a keyboard)
- some wide tables (the venture list, the activity feed, the scouting lists, the
  commissioning ledger) scroll sideways on a small screen instead of reflowing to fit
- the outcome charts are pictures drawn in the browser; a screen reader is pointed to
  the table beside each chart, which holds the same figures
- the business plan PDF is not a tagged PDF, so a screen reader may read it in the
  wrong order; the same plan is on its page as HTML
- downloads (CSV files) and documents people upload (evidence, funding documents) are
  not checked for accessibility by the service

## Feedback and contact information

If you need information from this service in a different format, such as accessible
PDF, large print, easy read, audio recording or braille, or you find a problem not
listed on this page, tell the SEiR or the programme administrator you work with (their
names are on your programme's page once you are signed in). If you do not have an
account, for example because your details were recorded after a meeting, ask the SEiR
you met, who will pass your request to the host organisation.

We will consider your request and get back to you within 10 working days.

## Reporting accessibility problems with this service

We are always looking to improve the accessibility of this service. If you find any
problems not listed on this page or think we are not meeting accessibility
requirements, contact us as described above and say which page you were on (its web
address) and what went wrong.

## Enforcement procedure

The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public
Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018
(the "accessibility regulations"). If you are not happy with how we respond to your
complaint, [contact the Equality Advisory and Support Service
(EASS)](https://www.equalityadvisoryservice.com/).

## Technical information about this service's accessibility

The host organisation is committed to making this service accessible, in accordance
with the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility
Regulations 2018.

### Compliance status

This service is partially compliant with the [Web Content Accessibility Guidelines
version 2.2](https://www.w3.org/TR/WCAG22/) AA standard, due to the non-compliances
listed below.

### Non-accessible content

The content listed below is non-accessible for the following reasons.

#### Non-compliance with the accessibility regulations

- Tables that scroll sideways on a small screen instead of reflowing fail WCAG 2.2
  success criterion 1.4.10 (Reflow). Checklists already show as cards on a small
  screen; we plan to do the same for the other wide tables.
- Moving a venture on the board by dragging fails success criterion 2.5.7 (Dragging
  Movements) unless the "Move" menu is used; the menu is offered on every card, so
  nobody has to drag.
- The business plan PDF is not tagged, which fails success criterion 1.3.1 (Info and
  Relationships) for the PDF. The plan's page shows the same content as HTML.

#### Content that's not within the scope of the accessibility regulations

Documents that people upload (evidence, funding documents) and the CSV downloads are
not produced by the service, and we do not check or fix them.

## What we're doing to improve accessibility

Every page the automated browser tests open is checked with axe-core for serious and
critical problems, and a change that adds one is refused. We fix the issues above as
they are reached and update this statement when we do.

## Preparation of this accessibility statement

This statement was prepared on 2 December 2026. It was last reviewed on
2 December 2026.

This service was last tested on 2 December 2026 against the WCAG 2.2 AA standard. The
test was carried out by the development team, with automated checks (axe-core in a
browser on every page the test journeys reach) and by using the service on a desktop
and on a phone with a keyboard. It has not yet been audited by an independent
accessibility specialist.
"""

PRIVACY_TITLE = "Privacy notice for SEiR Pipeline"

PRIVACY_BODY = """\
This notice explains what personal data SEiR Pipeline holds, why, on what lawful basis,
for how long, who sees it, and how to ask for a copy of it or for it to be erased.

## Who is responsible for your data

The organisation that hosts each Social Entrepreneur in Residence (SEiR) programme is
the data controller for that programme's records. Its SEiRs and administrators run the
programme in this service; each programme's records are kept apart from the others'.

## What personal data we hold

- **Your account**, if you have one: your name, username, email address, a scrambled
  (hashed) version of your password, your roles in each programme (administrator, SEiR,
  PCT manager, entrepreneur, commissioner contact) and the ventures whose team you are
  in. Each sign-in and sign-out, and each failed attempt, is logged with the username,
  the device's network address, its browser and the time, so that repeated guessing can
  be stopped and misuse traced.
- **People and organisations met while scouting**: name, organisation, job title, email
  address, phone number, tags, notes the SEiR writes about the conversation and about
  talent, whether you agreed to be contacted and when, the meetings you attended, ideas
  you proposed and follow-ups agreed with you.
- **Ventures and their teams**: the people in a venture's team, and what they and the
  programme's staff write about the venture: its profile, business plan versions and
  comments on them, checklist evidence, funding applications and their documents,
  outcome measurements, notes, and introductions to commissioners.
- **Commissioners and support providers**: the name, role, email address and phone
  number of contacts at commissioning organisations and support providers, and the
  introductions and referrals made to them.
- **Files you upload**: evidence and documents, stored privately and shown only to the
  people who may see the venture they belong to.
- **A record of what happened**: every change made in the service is recorded with who
  made it and when (the activity record), so that decisions can be explained later.

We do not ask for special category data (such as health or ethnicity). Please do not
write it into notes or documents.

## Why we hold it and our lawful basis

We use this data to run the programme: to find and support social ventures, to follow
their progress, to introduce them to commissioners and funders, to report on the
programme and to keep the service secure.

Under the UK General Data Protection Regulation our lawful basis is that processing is
necessary for a task carried out in the public interest (Article 6(1)(e)) where the host
organisation is a public body, or for our legitimate interests in running the programme
(Article 6(1)(f)) where it is not. Contacting people met while scouting about
opportunities relies on their recorded agreement to be contacted, which can be withdrawn
at any time.

## How long we keep it

Records are kept while the programme runs and afterwards for as long as the host
organisation's records retention schedule requires for programme and grant records.
The service does not delete records by itself: an administrator erases or deletes them
when that period ends, or sooner when you ask and there is no reason to keep them.
Failed sign-in attempts are cleared when you next sign in successfully; the sign-in
log is kept like the other records.
The activity record is kept as long as the records it describes; when a person's
details are erased, their name is removed from it too.

## Who we share it with

Your data is seen only by people who need it for the programme: its SEiRs and
administrators; a venture's own team; PCT managers of the programme, who may read (but
not change) its ventures; and a commissioner contact, who sees only the ventures
introduced to them and what the team chose to share. We do not sell data or use it for
marketing. The host organisation's IT providers store and back up the service on its
behalf under contract. We share data with others only where the law requires it.

## Your rights: a copy of your data, corrections and erasure

You can ask to see the data we hold about you (a subject access request), to have it
corrected, to have it erased, to restrict or object to its use, or to receive it in a
portable form. Ask the SEiR or programme administrator you work with, or the SEiR you
met if you do not have an account. They can download everything held about a person in
the scouting directory in one file and erase a person's details in place (the record of
the meeting stays, without your details). We will answer within one month.

## Contact and complaints

Contact the SEiR or the programme administrator you work with; they will pass your
request to the host organisation's data protection officer if needed. If you are unhappy
with how your data has been handled you can complain to the [Information Commissioner's
Office](https://ico.org.uk/make-a-complaint/), Wycliffe House, Water Lane, Wilmslow,
Cheshire, SK9 5AF, telephone 0303 123 1113.

## Changes to this notice

This notice was last updated on 2 December 2026.
"""
