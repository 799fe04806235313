"""Study visits, peer reviews, seminars and meetings: registrations, outputs, iCalendar."""
