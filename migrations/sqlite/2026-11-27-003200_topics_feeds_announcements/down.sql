DROP TABLE announcement_dismissals;
DROP TABLE announcements;
DROP TABLE tag_follows;
DROP TABLE mentions;
DROP TABLE status_tags;
DROP TABLE tags;
