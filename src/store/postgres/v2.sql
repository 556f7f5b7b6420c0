-- The booking role (issue 14): the contact center's operators and the back office that
-- answers the mailbox book appointments and do nothing else.
ALTER TABLE staff DROP CONSTRAINT staff_role_check;
ALTER TABLE staff ADD CONSTRAINT staff_role_check
    CHECK (role IN ('reception', 'mediator', 'coordinator', 'admin', 'booking'));
