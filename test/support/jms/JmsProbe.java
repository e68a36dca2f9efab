import java.util.Enumeration;
import javax.jms.*;
import org.apache.activemq.ActiveMQConnectionFactory;

/**
 * Drives ActiveMQ's own JMS client against a broker for the integration tests. Every result is a
 * line "CHECK <name> <value>" (or "SENT <n>" / "RECV <body>"), asserted by the test that runs it.
 *
 *   JmsProbe basic <url>                      text/bytes/map bodies, typed properties, topic, selector, transactions, client ack
 *   JmsProbe send <url> <queue> <count>       persistent text messages m-1..m-count, one by one (sync)
 *   JmsProbe receive <url> <queue> <idleMs>   everything until the queue is idle for idleMs
 *   JmsProbe sendText <url> <queue> <text>    one persistent TextMessage with property origin=jms
 *   JmsProbe consume <url> <queue> <n> <idleMs> a listener until n distinct bodies arrived (or idle): "RECV <body> <redelivered>"
 *   JmsProbe replyOnce <url> <queue>          answers one request on its JMSReplyTo with "re: <text>"
 *   JmsProbe login <url> <user> <password> <queue>  one message as that user: "CHECK login.sent true" or
 *                                             "CHECK login.error <exception class> <message>"
 *   JmsProbe more <url>                       request/reply over a temporary queue, durable subscription,
 *                                             prefetch 0, individual ack, redelivery limit to the DLQ
 */
public class JmsProbe {
  static void check(String name, Object value) {
    System.out.println("CHECK " + name + " " + value);
  }

  public static void main(String[] args) throws Exception {
    try {
      run(args);
    } catch (Throwable e) {
      e.printStackTrace();
      // Connections still open (non-daemon transport threads) must not keep a failed run alive.
      System.exit(1);
    }
    System.exit(0);
  }

  static void run(String[] args) throws Exception {
    String mode = args[0];
    ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(args[1]);
    if (mode.equals("login")) {
      login(factory, args[2], args[3], args[4]);
      System.out.println("DONE");
      return;
    }
    Connection connection = factory.createConnection();
    connection.setExceptionListener(e -> System.out.println("EXCEPTION " + e));
    connection.start();
    try {
      switch (mode) {
        case "basic": basic(connection); break;
        case "send": send(connection, args[2], Integer.parseInt(args[3])); break;
        case "receive": receive(connection, args[2], Long.parseLong(args[3])); break;
        case "sendText": sendText(connection, args[2], args[3]); break;
        case "more": more(connection, factory, args[1]); break;
        case "replyOnce": replyOnce(connection, args[2]); break;
        case "consume": consume(connection, args[2], Integer.parseInt(args[3]), Long.parseLong(args[4])); break;
        default: throw new IllegalArgumentException(mode);
      }
    } finally {
      connection.close();
    }
    System.out.println("DONE");
  }

  /** A secured broker: what the client throws, if anything, for these credentials. */
  static void login(ActiveMQConnectionFactory factory, String user, String password, String queue) throws Exception {
    Connection connection = factory.createConnection(user, password);
    try {
      connection.start();
      Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
      MessageProducer producer = session.createProducer(session.createQueue(queue));
      producer.send(session.createTextMessage("secured"));
      check("login.sent", true);
    } catch (JMSException e) {
      check("login.error", e.getClass().getName() + " " + e.getMessage());
    } finally {
      try {
        connection.close();
      } catch (JMSException ignored) {
        // Already refused and closed by the broker.
      }
    }
  }

  static void basic(Connection connection) throws Exception {
    Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    Queue queue = session.createQueue("jms.basic");
    MessageProducer producer = session.createProducer(queue);
    producer.setDeliveryMode(DeliveryMode.PERSISTENT);
    TextMessage text = session.createTextMessage("h\u00e9llo \uD83D\uDE00");
    text.setIntProperty("ip", 7);
    text.setLongProperty("lp", 8L);
    text.setDoubleProperty("dp", 1.5);
    text.setBooleanProperty("bp", true);
    text.setStringProperty("sp", "s");
    text.setJMSCorrelationID("corr-1");
    text.setJMSType("t1");
    producer.send(text);
    BytesMessage bytes = session.createBytesMessage();
    bytes.writeBytes(new byte[] {1, 2, 3});
    producer.send(bytes);
    MapMessage map = session.createMapMessage();
    map.setString("k", "v");
    map.setInt("n", 5);
    producer.send(map);
    MessageConsumer consumer = session.createConsumer(queue);
    Message m1 = consumer.receive(5000);
    check("text.class", m1 instanceof TextMessage);
    check("text.body", ((TextMessage) m1).getText().equals("h\u00e9llo \uD83D\uDE00"));
    check("text.ip", m1.getIntProperty("ip"));
    check("text.lp", m1.getLongProperty("lp"));
    check("text.dp", m1.getDoubleProperty("dp"));
    check("text.bp", m1.getBooleanProperty("bp"));
    check("text.sp", m1.getStringProperty("sp"));
    check("text.correlation", m1.getJMSCorrelationID());
    check("text.type", m1.getJMSType());
    check("text.persistent", m1.getJMSDeliveryMode() == DeliveryMode.PERSISTENT);
    check("text.id", m1.getJMSMessageID().equals(text.getJMSMessageID()));
    Message m2 = consumer.receive(5000);
    byte[] got = new byte[10];
    int n = ((BytesMessage) m2).readBytes(got);
    check("bytes.length", n);
    check("bytes.third", got[2]);
    Message m3 = consumer.receive(5000);
    check("map.k", ((MapMessage) m3).getString("k"));
    check("map.n", ((MapMessage) m3).getInt("n"));
    consumer.close();

    Topic topic = session.createTopic("jms.topic");
    MessageConsumer subscriber = session.createConsumer(topic);
    MessageProducer publisher = session.createProducer(topic);
    publisher.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
    publisher.send(session.createTextMessage("to-topic"));
    TextMessage t = (TextMessage) subscriber.receive(5000);
    check("topic.body", t == null ? null : t.getText());
    subscriber.close();

    Queue sel = session.createQueue("jms.selector");
    MessageConsumer selective = session.createConsumer(sel, "ip > 5");
    MessageProducer selProducer = session.createProducer(sel);
    for (int ip : new int[] {3, 7}) {
      TextMessage m = session.createTextMessage("ip-" + ip);
      m.setIntProperty("ip", ip);
      selProducer.send(m);
    }
    TextMessage s = (TextMessage) selective.receive(5000);
    check("selector.body", s == null ? null : s.getText());
    check("selector.next", selective.receive(300) == null);
    selective.close();
    MessageConsumer rest = session.createConsumer(sel);
    TextMessage r = (TextMessage) rest.receive(5000);
    check("selector.rest", r == null ? null : r.getText());
    rest.close();

    Session tx = connection.createSession(true, Session.SESSION_TRANSACTED);
    Queue txQueue = tx.createQueue("jms.tx");
    MessageProducer txProducer = tx.createProducer(txQueue);
    txProducer.send(tx.createTextMessage("tx-1"));
    tx.rollback();
    txProducer.send(tx.createTextMessage("tx-2"));
    tx.commit();
    MessageConsumer txConsumer = tx.createConsumer(txQueue);
    TextMessage x = (TextMessage) txConsumer.receive(5000);
    check("tx.first", x == null ? null : x.getText());
    tx.rollback();
    TextMessage again = (TextMessage) txConsumer.receive(5000);
    check("tx.redelivered", again != null && again.getJMSRedelivered());
    tx.commit();
    check("tx.empty", txConsumer.receive(300) == null);
    txConsumer.close();

    Session client = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
    Queue ackQueue = client.createQueue("jms.clientack");
    MessageProducer ackProducer = client.createProducer(ackQueue);
    ackProducer.send(client.createTextMessage("a-1"));
    ackProducer.send(client.createTextMessage("a-2"));
    MessageConsumer ackConsumer = client.createConsumer(ackQueue);
    ackConsumer.receive(5000);
    Message second = ackConsumer.receive(5000);
    second.acknowledge();
    ackConsumer.close();
    MessageConsumer after = client.createConsumer(ackQueue);
    Message left = after.receive(300);
    check("clientack.empty", left == null ? "true" : ((TextMessage) left).getText());
    after.close();

    try {
      Queue bad = session.createQueue("jms.bad");
      MessageProducer badProducer = session.createProducer(session.createTopic("jms.*"));
      badProducer.send(session.createTextMessage("x"));
      check("wildcard.refused", false);
    } catch (JMSException e) {
      check("wildcard.refused", e.getClass().getName() + ":" + e.getMessage().contains("wildcard"));
    }
  }

  static void more(Connection connection, ActiveMQConnectionFactory factory, String url) throws Exception {
    Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    // Request/reply: the replier is another connection, so it must learn of the temporary queue.
    Connection replier = factory.createConnection();
    replier.start();
    Session replierSession = replier.createSession(false, Session.AUTO_ACKNOWLEDGE);
    MessageConsumer requests = replierSession.createConsumer(replierSession.createQueue("rr.requests"));
    MessageProducer replies = replierSession.createProducer(null);
    requests.setMessageListener(m -> {
      try {
        replies.send(m.getJMSReplyTo(), replierSession.createTextMessage("re: " + ((TextMessage) m).getText()));
      } catch (JMSException e) {
        System.out.println("EXCEPTION " + e);
      }
    });
    TemporaryQueue temp = session.createTemporaryQueue();
    MessageConsumer replyConsumer = session.createConsumer(temp);
    TextMessage request = session.createTextMessage("ping");
    request.setJMSReplyTo(temp);
    session.createProducer(session.createQueue("rr.requests")).send(request);
    TextMessage reply = (TextMessage) replyConsumer.receive(5000);
    check("rr.reply", reply == null ? null : reply.getText());
    replyConsumer.close();
    temp.delete();
    replier.close();

    Connection durableConnection = factory.createConnection();
    durableConnection.setClientID("dur-client");
    durableConnection.start();
    Session ds = durableConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    Topic topic = ds.createTopic("dur.topic");
    ds.createDurableSubscriber(topic, "sub1").close();
    MessageProducer publisher = session.createProducer(topic);
    publisher.setDeliveryMode(DeliveryMode.PERSISTENT);
    publisher.send(session.createTextMessage("d-1"));
    publisher.send(session.createTextMessage("d-2"));
    MessageConsumer durable = ds.createDurableSubscriber(topic, "sub1");
    TextMessage d1 = (TextMessage) durable.receive(5000);
    TextMessage d2 = (TextMessage) durable.receive(5000);
    check("durable.received", (d1 == null ? null : d1.getText()) + "," + (d2 == null ? null : d2.getText()));
    durable.close();
    ds.unsubscribe("sub1");
    durableConnection.close();

    ActiveMQConnectionFactory pull = new ActiveMQConnectionFactory(url + (url.contains("?") ? "&" : "?") + "jms.prefetchPolicy.all=0");
    Connection pullConnection = pull.createConnection();
    pullConnection.start();
    Session ps = pullConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    Queue pq = ps.createQueue("pull.q");
    ps.createProducer(pq).send(ps.createTextMessage("p-1"));
    MessageConsumer puller = ps.createConsumer(pq);
    TextMessage p1 = (TextMessage) puller.receive(5000);
    check("pull.first", p1 == null ? null : p1.getText());
    check("pull.nowait", puller.receiveNoWait() == null);
    check("pull.timeout", puller.receive(200) == null);
    pullConnection.close();

    Session individual = connection.createSession(false, org.apache.activemq.ActiveMQSession.INDIVIDUAL_ACKNOWLEDGE);
    Queue iq = individual.createQueue("individual.q");
    MessageProducer ip = individual.createProducer(iq);
    ip.send(individual.createTextMessage("i-1"));
    ip.send(individual.createTextMessage("i-2"));
    MessageConsumer ic = individual.createConsumer(iq);
    ic.receive(5000);
    ic.receive(5000).acknowledge();
    ic.close();
    MessageConsumer ic2 = individual.createConsumer(iq);
    TextMessage left = (TextMessage) ic2.receive(5000);
    check("individual.left", left == null ? null : left.getText() + ":" + left.getJMSRedelivered());
    left.acknowledge();
    ic2.close();

    // Closing a consumer: only what it delivered counts as redelivered, not what it had prefetched.
    Queue pre = session.createQueue("prefetched.q");
    MessageProducer preProducer = session.createProducer(pre);
    for (int i = 1; i <= 3; i++) preProducer.send(session.createTextMessage("pre-" + i));
    MessageConsumer first = session.createConsumer(pre);
    first.receive(5000);
    first.close();
    MessageConsumer next = session.createConsumer(pre);
    TextMessage pre2 = (TextMessage) next.receive(5000);
    check("prefetched.next", pre2 == null ? null : pre2.getText() + ":" + pre2.getJMSRedelivered());
    next.close();
    Session clientAck = connection.createSession(false, Session.CLIENT_ACKNOWLEDGE);
    MessageConsumer unacked = clientAck.createConsumer(pre);
    unacked.receive(5000);
    unacked.close();
    MessageConsumer again = clientAck.createConsumer(pre);
    TextMessage pre3 = (TextMessage) again.receive(5000);
    check("delivered.again", pre3 == null ? null : pre3.getText() + ":" + pre3.getJMSRedelivered());
    pre3.acknowledge();
    again.close();

    // Producer flow control: a 2 KiB window fills after two async sends; only ProducerAcks free it.
    ActiveMQConnectionFactory windowed = new ActiveMQConnectionFactory(url + (url.contains("?") ? "&" : "?") + "jms.producerWindowSize=2048&jms.useAsyncSend=true");
    Connection wc = windowed.createConnection();
    wc.start();
    Session ws = wc.createSession(false, Session.AUTO_ACKNOWLEDGE);
    Queue wq = ws.createQueue("window.q");
    MessageProducer wp = ws.createProducer(wq);
    for (int i = 0; i < 50; i++) wp.send(ws.createTextMessage("w-" + i));
    MessageConsumer wcons = ws.createConsumer(wq);
    int windowed50 = 0;
    while (wcons.receive(1000) != null) windowed50++;
    check("window.received", windowed50);
    wc.close();

    ActiveMQConnectionFactory limited = new ActiveMQConnectionFactory(url);
    limited.getRedeliveryPolicy().setMaximumRedeliveries(1);
    limited.getRedeliveryPolicy().setInitialRedeliveryDelay(0);
    Connection lc = limited.createConnection();
    lc.start();
    Session tx = lc.createSession(true, Session.SESSION_TRANSACTED);
    Queue poison = tx.createQueue("poison.q");
    tx.createProducer(poison).send(tx.createTextMessage("bad"));
    tx.commit();
    MessageConsumer pc = tx.createConsumer(poison);
    int deliveries = 0;
    for (int i = 0; i < 4; i++) {
      if (pc.receive(1000) == null) break;
      deliveries++;
      tx.rollback();
    }
    check("dlq.deliveries", deliveries);
    MessageConsumer dlq = tx.createConsumer(tx.createQueue("ActiveMQ.DLQ"));
    TextMessage dead = (TextMessage) dlq.receive(5000);
    check("dlq.body", dead == null ? null : dead.getText());
    tx.commit();
    lc.close();
  }

  static void send(Connection connection, String queueName, int count) throws Exception {
    Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    MessageProducer producer = session.createProducer(session.createQueue(queueName));
    producer.setDeliveryMode(DeliveryMode.PERSISTENT);
    long longest = 0;
    for (int i = 1; i <= count; i++) {
      long start = System.nanoTime();
      producer.send(session.createTextMessage("m-" + i));
      longest = Math.max(longest, System.nanoTime() - start);
      System.out.println("SENT " + i);
    }
    // The longest send: across a failover, the stall from losing the master to the new one answering.
    System.out.println("LONGEST_SEND_MS " + longest / 1_000_000);
  }

  static void consume(Connection connection, String queueName, int distinct, long idleMs) throws Exception {
    Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    MessageConsumer consumer = session.createConsumer(session.createQueue(queueName));
    java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Object done = new Object();
    long[] last = {System.currentTimeMillis()};
    consumer.setMessageListener(m -> {
      try {
        String body = ((TextMessage) m).getText();
        System.out.println("RECV " + body + " " + m.getJMSRedelivered());
        seen.add(body);
        last[0] = System.currentTimeMillis();
        if (seen.size() >= distinct) synchronized (done) { done.notifyAll(); }
      } catch (JMSException e) {
        System.out.println("EXCEPTION " + e);
      }
    });
    synchronized (done) {
      while (seen.size() < distinct && System.currentTimeMillis() - last[0] < idleMs) done.wait(100);
    }
  }

  static void replyOnce(Connection connection, String queueName) throws Exception {
    Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    TextMessage request = (TextMessage) session.createConsumer(session.createQueue(queueName)).receive(20000);
    check("request.replyTo", request.getJMSReplyTo());
    session.createProducer(null).send(request.getJMSReplyTo(), session.createTextMessage("re: " + request.getText()));
  }

  static void sendText(Connection connection, String queueName, String body) throws Exception {
    Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    MessageProducer producer = session.createProducer(session.createQueue(queueName));
    TextMessage m = session.createTextMessage(body);
    m.setStringProperty("origin", "jms");
    m.setIntProperty("n", 42);
    producer.send(m);
  }

  static void receive(Connection connection, String queueName, long idleMs) throws Exception {
    Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
    MessageConsumer consumer = session.createConsumer(session.createQueue(queueName));
    for (;;) {
      Message m = consumer.receive(idleMs);
      if (m == null) break;
      String kind = m instanceof TextMessage ? "text" : m instanceof BytesMessage ? "bytes" : "other";
      String body;
      if (m instanceof TextMessage) body = ((TextMessage) m).getText();
      else if (m instanceof BytesMessage) {
        byte[] b = new byte[(int) ((BytesMessage) m).getBodyLength()];
        ((BytesMessage) m).readBytes(b);
        body = new String(b, "UTF-8");
      } else body = "";
      StringBuilder props = new StringBuilder();
      for (Enumeration<?> e = m.getPropertyNames(); e.hasMoreElements();) {
        String k = (String) e.nextElement();
        props.append(' ').append(k).append('=').append(m.getObjectProperty(k));
      }
      System.out.println("RECV " + kind + " " + body + " |" + props);
    }
  }
}
