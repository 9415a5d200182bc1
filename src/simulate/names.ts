// biome-ignore-all format: long lists of names read better several to a line
/** Name lists for synthetic rosters: common US given names and surnames, some Spanish. */
export const FIRST_NAMES_EN = [
  'Liam', 'Olivia', 'Noah', 'Emma', 'Oliver', 'Ava', 'Elijah', 'Sophia', 'James', 'Isabella', 'William', 'Mia',
  'Benjamin', 'Evelyn', 'Lucas', 'Harper', 'Henry', 'Amelia', 'Jack', 'Abigail', 'Wyatt', 'Emily', 'Owen', 'Ella',
  'Caleb', 'Avery', 'Carter', 'Scarlett', 'Dylan', 'Grace', 'Hunter', 'Lily', 'Logan', 'Chloe', 'Mason', 'Zoey',
  'Ethan', 'Nora', 'Aiden', 'Hannah', 'Levi', 'Addison', 'Colton', 'Brooklyn', 'Landon', 'Claire', 'Easton', 'Lucy',
];
export const FIRST_NAMES_ES = [
  'Santiago', 'Sofía', 'Mateo', 'Valentina', 'Diego', 'Camila', 'Sebastián', 'Lucía', 'Alejandro', 'Ximena',
  'José', 'María', 'Luis', 'Daniela', 'Carlos', 'Gabriela', 'Miguel', 'Renata', 'Ángel', 'Natalia', 'Jesús', 'Paola',
];
export const LAST_NAMES_EN = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis', 'Wilson', 'Anderson', 'Taylor', 'Thomas',
  'Moore', 'Martin', 'Jackson', 'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Walker', 'Hall', 'Allen', 'Young',
  'King', 'Wright', 'Scott', 'Green', 'Baker', 'Adams', 'Nelson', 'Hill', 'Campbell', 'Mitchell', 'Roberts', 'Carter',
  "O'Brien", 'Parker', 'Evans', 'Edwards', 'Collins', 'Stewart', 'Morris', 'Murphy', 'Cook', 'Rogers', 'Morgan',
];
export const LAST_NAMES_ES = [
  'García', 'Martínez', 'Rodríguez', 'Hernández', 'López', 'González', 'Pérez', 'Sánchez', 'Ramírez', 'Torres',
  'Flores', 'Rivera', 'Gómez', 'Díaz', 'Reyes', 'Cruz', 'Morales', 'Ortiz', 'Gutiérrez', 'Chávez', 'Ramos', 'Núñez',
];
export const PLACE_NAMES = [
  'Pine Valley', 'Cedar Creek', 'Red Rock', 'Willow Bend', 'Prairie View', 'Clear Lake', 'Stone Ridge', 'Maple Grove',
  'Elk River', 'Bear Hollow', 'Sandy Springs', 'Oak Hill', 'Aspen Flats', 'Blue Mesa', 'Fox Run', 'Silver Falls',
  'Hawk Point', 'Juniper', 'Birch Lake', 'Coal Valley', 'Granite Pass', 'Sage Plains', 'Twin Forks', 'Lone Pine',
];
export const STREET_NAMES = ['Main St', 'Oak Ave', 'County Rd 12', 'Church St', 'Mill Rd', 'Ridge Rd', 'School St', 'Highway 9', 'Elm St', 'Depot St'];
