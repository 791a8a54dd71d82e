/**
 * Plugin semantics that the real data sets do not exercise, on small
 * hand-written records: identity types, GetStringBytes on non-strings,
 * addendum / edge device / ECS members, PutBucketPublicAccessBlock info,
 * byte counters written as floats, the plugin's String().
 */
import { describe, expect, it } from 'vitest';
import { getField } from '../../src/fields/registry.js';
import '../../src/fields/json.js';
import { ctString } from '../../src/sources/cloudtrail/index.js';

const x = (field: string, rec: unknown, arg?: string) => getField(field)!.extract!(rec, arg);

describe('ct.user by identity type', () => {
  it('literal types and unknown types', () => {
    expect(x('ct.user', { userIdentity: { type: 'AWSAccount', accountId: '1' } })).toBe('AWSAccount');
    expect(x('ct.user', { userIdentity: { type: 'FederatedUser', userName: 'x' } })).toBe('FederatedUser');
    expect(x('ct.user', { userIdentity: { type: 'AssumedRole', arn: 'a' } })).toBe('AssumedRole');
    expect(x('ct.user', { userIdentity: { type: 'IdentityCenterUser', userName: 'bob' } })).toBeNull();
    expect(x('ct.user', { userIdentity: { type: 'SAMLUser', userName: 'bob' } })).toBeNull();
    expect(x('ct.user', { userIdentity: { type: 'IAMUser' } })).toBeNull();
    expect(x('ct.user', { userIdentity: { type: 'AWSService' } })).toBeNull();
    expect(x('ct.user', {})).toBeNull();
  });
  it('ct.originaluser needs exactly 3 ARN parts or 2 principalId parts', () => {
    expect(x('ct.originaluser', { userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role/r/s', principalId: 'A:p' } })).toBe('s');
    expect(x('ct.originaluser', { userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role/r', principalId: 'A:p' } })).toBe('p');
    expect(x('ct.originaluser', { userIdentity: { type: 'AssumedRole', arn: 'x', principalId: 'A:p:q' } })).toBeNull();
  });
});

describe('GetStringBytes semantics', () => {
  it('a non-string JSON value is present as ""', () => {
    expect(x('ct.name', { eventName: 42 })).toBe('');
    expect(x('ct.error', { errorCode: { a: 1 } })).toBe('');
    expect(x('ct.request.name', { requestParameters: { name: true } })).toBe('');
  });
  it('a missing key or a JSON null is absent', () => {
    expect(x('ct.error', { eventName: 'x' })).toBeNull();
    expect(x('ct.error', { errorCode: null })).toBeNull();
    expect(x('ct.request.name', { requestParameters: null })).toBeNull();
    expect(x('ct.request.name', { requestParameters: 'text' })).toBeNull();
  });
});

describe('members absent from the real data sets', () => {
  const rec = {
    eventName: 'RunTask',
    readOnly: false,
    requestParameters: { cluster: 'prod', taskDefinition: 'web:3', reason: 'deploy', documentName: 'doc' },
    addendum: { reason: 'DELIVERY_DELAY', updatedFields: 'tlsDetails', originalRequestID: 'r0', originalEventID: 'e0' },
    edgeDeviceDetails: { deviceID: 'd1' },
    serviceEventDetails: 'plain text',
    sourceIPAddress: '2001:db8::1',
    resources: [],
  };
  it.each([
    ['ct.request.cluster', 'prod'],
    ['ct.request.taskdefinition', 'web:3'],
    ['ct.request.reason', 'deploy'],
    ['ct.request.documentname', 'doc'],
    ['ct.addendum.reason', 'DELIVERY_DELAY'],
    ['ct.addendum.updatedfields', 'tlsDetails'],
    ['ct.addendum.originalrequestid', 'r0'],
    ['ct.addendum.originaleventid', 'e0'],
    ['ct.edgedevicedetails', '{"deviceID":"d1"}'],
    ['ct.serviceeventdetails', 'plain text'],
    ['ct.srcip.v6', '2001:db8::1'],
    ['ct.srcip.v4', null],
    ['ct.resources', null],
    ['ct.readonly', 'false'],
    ['s3.cnt.other', 1],
  ] as const)('%s', (f, want) => expect(x(f, rec)).toEqual(want));
});

describe('s3 byte counters', () => {
  it('floats are truncated, either key makes s3.bytes present', () => {
    expect(x('s3.bytes', { additionalEventData: { bytesTransferredOut: 33.9 } })).toBe(33);
    expect(x('s3.bytes.in', { additionalEventData: { bytesTransferredOut: 33.9 } })).toBeNull();
    expect(x('s3.bytes', { additionalEventData: { bytesTransferredIn: 'junk', bytesTransferredOut: 2 } })).toBe(2);
    expect(x('s3.bytes', { additionalEventData: {} })).toBeNull();
  });
});

describe('ct.info', () => {
  it('PutBucketPublicAccessBlock shows the configuration flags', () => {
    const rec = {
      userIdentity: { type: 'IAMUser', userName: 'eve' },
      sourceIPAddress: '198.51.100.7',
      eventName: 'PutBucketPublicAccessBlock',
      readOnly: false,
      requestParameters: {
        bucketName: 'b',
        PublicAccessBlockConfiguration: { BlockPublicAcls: false, BlockPublicPolicy: true, IgnorePublicAcls: false, RestrictPublicBuckets: true },
      },
    };
    expect(x('ct.info', rec)).toBe(
      'eve via 198.51.100.7 → PutBucketPublicAccessBlock BlockPublicAcls=false BlockPublicPolicy=true IgnorePublicAcls=false RestrictPublicBuckets=true ',
    );
  });
  it('missing srcip and missing eventName', () => {
    expect(x('ct.info', { userIdentity: { type: 'Root', userName: 'r' }, eventName: 'X' })).toBe('<invalid cloudtrail event: eventSource field missing>');
    expect(x('ct.info', { userIdentity: { type: 'Root', userName: 'r' }, sourceIPAddress: '1.2.3.4' })).toBe(
      '<invalid cloudtrail event: eventName field missing>',
    );
  });
  it('Key= and Host= when there is no bucket', () => {
    const base = { userIdentity: { type: 'Root', userName: 'r' }, sourceIPAddress: '1.2.3.4', eventName: 'GetThing', readOnly: true };
    expect(x('ct.info', { ...base, requestParameters: { key: 'k' } })).toBe('r via 1.2.3.4 ← GetThing Key=k');
    expect(x('ct.info', { ...base, requestParameters: { Host: 'h' } })).toBe('r via 1.2.3.4 ← GetThing Host=h');
  });
});

describe('ec2.imageids fallbacks and json.value', () => {
  it('request image id forms', () => {
    expect(x('ec2.imageids', { requestParameters: { imageId: 'ami-1' } })).toEqual(['ami-1']);
    expect(x('ec2.imageids', { requestParameters: { DescribeFastLaunchImagesRequest: { ImageId: { content: 'ami-2' } } } })).toEqual(['ami-2']);
    expect(x('ec2.imageids', { requestParameters: { launchSpecification: { imageId: 'ami-3' } } }, '0')).toBe('ami-3');
  });
  it('RFC 6901 escapes and arrays', () => {
    const rec = { 'a/b': { 'm~n': [1, { z: null }] } };
    expect(x('json.value', rec, '/a~1b/m~0n/0')).toBe('1');
    expect(x('json.value', rec, '/a~1b/m~0n/1/z')).toBe('null');
    expect(x('json.value', rec, '/a~1b/m~0n/2')).toBeNull();
    expect(x('json.value', rec, '/a~1b/m~0n/01')).toBeNull();
    expect(x('jevt.value', rec, '/a~1b')).toBe('{"m~n":[1,{"z":null}]}');
    expect(x('json.obj', { a: 1 })).toBe('{"a":1}');
  });
});

describe("the plugin's String()", () => {
  it('region user shortsrc name info', () => {
    const rec = {
      awsRegion: 'us-east-1',
      userIdentity: { type: 'IAMUser', userName: 'alice' },
      eventSource: 'iam.amazonaws.com',
      eventName: 'CreateUser',
      sourceIPAddress: '203.0.113.9',
      readOnly: false,
    };
    expect(ctString(rec)).toBe('us-east-1 alice iam CreateUser alice via 203.0.113.9 → CreateUser');
    expect(ctString({ ...rec, userIdentity: { type: 'Unknown' } })).toBe(
      'us-east-1 iam CreateUser <invalid cloudtrail event: userIdentity field missing>',
    );
  });
});
