/*  proto/mdp.h - MDP/0.2 (ZeroMQ RFC 18) and MMI (RFC 8) constants.

    Client  -> broker: "MDPC02", 0x01 REQUEST, service, body
    Broker  -> client: "MDPC02", 0x02 PARTIAL | 0x03 FINAL, service, body
    Worker <-> broker: "MDPW02", command, ...
        READY      0x01  service
        REQUEST    0x02  client-address, "", body      (broker -> worker)
        PARTIAL    0x03  client-address, "", body      (worker -> broker)
        FINAL      0x04  client-address, "", body      (worker -> broker)
        HEARTBEAT  0x05
        DISCONNECT 0x06
*/
#ifndef SAMEN_PROTO_MDP_H
#define SAMEN_PROTO_MDP_H

#define MDPC "MDPC02"
#define MDPW "MDPW02"

#define MDPC_REQUEST 0x01
#define MDPC_PARTIAL 0x02
#define MDPC_FINAL 0x03

#define MDPW_READY 0x01
#define MDPW_REQUEST 0x02
#define MDPW_PARTIAL 0x03
#define MDPW_FINAL 0x04
#define MDPW_HEARTBEAT 0x05
#define MDPW_DISCONNECT 0x06

/*  Service names. */
#define SM_SVC_BROKER "broker"
#define SM_SVC_INTAKE "intake"
#define SM_SVC_SCHEDULING "scheduling"
#define SM_SVC_REPORTING "reporting"
#define SM_SVC_FINANCE "finance"
#define SM_SVC_MMI_SERVICE "mmi.service"

/*  Default endpoints (DESIGN.md §3, §4). */
#define SM_DEFAULT_BROKER "tcp://127.0.0.1:5555"
#define SM_DEFAULT_EVENTS_IN "tcp://127.0.0.1:5556"
#define SM_DEFAULT_EVENTS_OUT "tcp://127.0.0.1:5557"

/*  Default limits. */
#define SM_DEFAULT_MAX_MESSAGE (1024 * 1024)
#define SM_DEFAULT_HEARTBEAT_MS 1000
#define SM_DEFAULT_HEARTBEAT_LIVENESS 5
#define SM_DEFAULT_REQUEST_EXPIRY_MS 5000

#endif
