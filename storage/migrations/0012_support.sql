-- How the social worker decided the person takes part: on their own ('none'), with the
-- easy-read version ('easy-read'), or with an adult helping ('worker').
ALTER TABLE interviews ADD COLUMN support TEXT NOT NULL DEFAULT 'none'
    CHECK (support IN ('none', 'easy-read', 'worker'));
