// title: Events
// description: Visits, delegations, signings, fairs and seminars, dated where known.

MATCH (e:Event)
RETURN e.id AS value, e.name + coalesce(' (' + e.date + ')', '') AS label
ORDER BY e.date, label
