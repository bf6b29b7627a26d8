// kinesalite as a separate process (as mq serve is), on an ephemeral port of 127.0.0.1: prints the port,
// then serves until killed.
import kinesalite from 'kinesalite';

const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 });
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
