DROP TABLE markers;
DROP TABLE notifications;
DROP TABLE bookmarks;
DROP TABLE reactions;
DROP TABLE favourites;
