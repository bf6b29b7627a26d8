// Input members that several SQS actions share.
export const QUEUE_URL = { type: 'string', required: true } as const;
export const ATTRIBUTE_MAP = { type: 'map', value: { type: 'string' } } as const;
export const TAGS = { type: 'map', value: { type: 'string' } } as const;
export const MESSAGE_ATTRIBUTES = {
  type: 'map',
  value: {
    type: 'structure',
    fields: {
      DataType: { type: 'string' },
      StringValue: { type: 'string' },
      BinaryValue: { type: 'blob' },
      StringListValues: { type: 'list', member: { type: 'string' } },
      BinaryListValues: { type: 'list', member: { type: 'blob' } },
    },
  },
} as const;
export const NAME_LIST = { type: 'list', member: { type: 'string' } } as const;
