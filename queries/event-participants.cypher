// title: Who took part in an event
// description: Companies (or other kinds) that took part in a delegation, visit, fair or
// description: ceremony, including the events that were part of it, with their role.
// param: event choices=events example=evt-tohoku-delegation-oulu-2019 label=Event
// param: kind default=Company choices=Company|Hospital|University|Organisation|Programme|City|Region|Person label="Kind of participant"
// column: x Participant
// column: r Tie
// column: part Event
// column: participant -
// column: role Role
// column: event -
// column: date Date
// column: source Source
// column: evidence Evidence

// Each WITH makes the next MATCH start from what is found so far: without them FalkorDB
// starts from every entity and walks to the event.
MATCH (e:Event {id: $event})
WITH e
MATCH (part:Event)-[:PART_OF*0..2]->(e)
WITH part
MATCH (x:Entity)-[r:PARTICIPATED_IN]->(part)
WHERE $kind IN labels(x)
RETURN x, r, part,
       x.name AS participant, r.role AS role, part.name AS event, part.date AS date,
       r.source AS source, r.evidence AS evidence
ORDER BY participant, date
