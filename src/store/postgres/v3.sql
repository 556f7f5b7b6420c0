-- The wall-screen role (issue 13): the account that makes a PC the waiting room's wall
-- screen; it reads the board (ticket numbers and desks) and nothing else.
ALTER TABLE staff DROP CONSTRAINT staff_role_check;
ALTER TABLE staff ADD CONSTRAINT staff_role_check
    CHECK (role IN ('reception', 'mediator', 'coordinator', 'admin', 'booking', 'wall-screen'));
