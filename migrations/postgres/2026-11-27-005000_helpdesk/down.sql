DROP TABLE helpdesk_ticket_events;
DROP TABLE helpdesk_tickets;
DROP TABLE helpdesk_settings;
