"""Communities of practice: members, threads, replies, moderation, notifications."""
